package io.facsimile.core.deploy;

import io.facsimile.core.bundle.Manifest;
import io.facsimile.core.bundle.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strategy {@code releases} on one node: stage {@code releases/<id>.partial}, verify, rename,
 * switch {@code current}, run postcmd (switching back when it fails), record, prune.
 */
final class ReleasesDeployer {

    private final DeployPlanner planner = new DeployPlanner();
    private final ManifestJson manifests = new ManifestJson();

    /** What the node has live: the release {@code current} points to and that release's manifest. */
    NodeState state(Transport t) {
        return state(t, t.readLink(Layout.CURRENT).map(Layout::idOf));
    }

    private NodeState state(Transport t, Optional<String> current) {
        Optional<Manifest> manifest = current.flatMap(id -> {
            String path = Layout.release(id) + "/" + Layout.RELEASE_MANIFEST;
            return t.readFile(path).map(b -> manifests.parse(b, t.describeHome() + "/" + path));
        });
        return new NodeState(current, manifest);
    }

    NodeResult deploy(NodeRun run, ReleaseSource source, DeploySpec spec, boolean dryRun) {
        Transport t = run.transport;
        Manifest target = planner.target(source.manifest(), spec);
        String id = DeployPlanner.releaseId(source.version(), target);
        Optional<String> current = t.readLink(Layout.CURRENT).map(Layout::idOf);
        // A release is named by the hash of its manifest: when current already names this one, the
        // node's copy of the manifest (10,000 entries to read and parse) can only say the same.
        NodeState state = current.filter(id::equals).isPresent()
                ? new NodeState(current, Optional.of(target))
                : state(t, current);
        DeployPlan plan = planner.planRelease(id, target, state, spec);
        if (dryRun) {
            run.info("dry run: " + plan.summary());
            return run.result(Outcome.PLANNED, id, "dry run: " + plan.summary(), plan);
        }
        if (plan.upToDate()) {
            run.info("release " + id + " is already current, nothing to do");
            return run.result(Outcome.UNCHANGED, id, "already current", plan);
        }
        removeStalePartials(run);
        String hash = plan.manifest().treeHash();
        Optional<String> previous = state.currentRelease();
        try {
            if (t.exists(Layout.release(id))) {
                run.info("release " + id + " is already on the node, switching to it");
            } else {
                stage(run, source, plan, state);
            }
            run.switchCurrent(id);
        } catch (RuntimeException e) {
            recordQuietly(run, id, hash, e);
            throw e;
        }
        Optional<String> failure;
        try {
            failure = run.postcmd(Layout.release(id), spec.postcmd());
        } catch (RuntimeException e) {
            restore(run, previous);
            recordQuietly(run, id, hash, e);
            throw e;
        }
        if (failure.isPresent()) {
            restore(run, previous);
            run.record(id, DeployLogEntry.FAILED, hash, Strategy.RELEASES);
            // Failed releases count against keep as well, so that repeated failures do not fill the disk.
            prune(run, spec.keep());
            return run.result(Outcome.FAILED, id, failure.get() + "; " + restored(previous), plan);
        }
        run.record(id, DeployLogEntry.OK, hash, Strategy.RELEASES);
        prune(run, spec.keep());
        return run.result(Outcome.DEPLOYED, id, "", plan);
    }

    /** Switches {@code current} back to the previous successful release. */
    NodeResult rollback(NodeRun run, DeploySpec spec) {
        Transport t = run.transport;
        Optional<String> current = run.currentRelease();
        if (current.isEmpty()) {
            throw new DeployException("nothing is deployed to " + t.describeHome() + " on " + run.node.name()
                    + " (no current release), so there is nothing to roll back");
        }
        List<DeployLogEntry> log = run.readLog();
        String target = previousGood(log, current.get(), t).orElseThrow(() -> new DeployException(
                "no earlier successful release to roll back to on " + run.node.name() + ": current is " + current.get()
                        + " and " + t.describeHome() + "/" + Layout.LOG + " lists no other successful release that is "
                        + "still in " + t.describeHome() + "/" + Layout.RELEASES));
        run.info("rolling back from " + current.get() + " to " + target);
        run.switchCurrent(target);
        String hash = state(t).manifest().map(Manifest::treeHash).orElse("");
        run.record(target, DeployLogEntry.ROLLBACK, hash, Strategy.RELEASES);
        Optional<String> failure = run.postcmd(Layout.release(target), spec.postcmd());
        if (failure.isPresent()) {
            return run.result(Outcome.FAILED, target, "rolled back to " + target + ", but " + failure.get(), null);
        }
        return run.result(Outcome.ROLLED_BACK, target, "was " + current.get(), null);
    }

    /**
     * The release to roll back to: the latest successful deploy made before the current release was
     * deployed, still present. Looking before the current release's own deploy (not merely before the
     * end of the log) makes repeated rollbacks walk back in time instead of toggling.
     */
    static Optional<String> previousGood(List<DeployLogEntry> log, String current, Transport t) {
        int from = log.size() - 1;
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).ok() && log.get(i).release().equals(current)) {
                from = i - 1;
                break;
            }
        }
        for (int i = from; i >= 0; i--) {
            DeployLogEntry e = log.get(i);
            if (e.ok() && !e.release().equals(current) && t.exists(Layout.release(e.release()))) {
                return Optional.of(e.release());
            }
        }
        return Optional.empty();
    }

    private void stage(NodeRun run, ReleaseSource source, DeployPlan plan, NodeState state) {
        Transport t = run.transport;
        String partial = Layout.partial(plan.releaseId());
        t.remove(partial);
        t.makeDirs(partial);
        try {
            if (!plan.reuse().isEmpty()) {
                String from = Layout.release(state.currentRelease().orElseThrow());
                run.info("linking " + plan.reuse().size() + " unchanged files from release " + state.currentRelease().get());
                for (DeployPlan.Reuse r : plan.reuse()) {
                    try {
                        t.linkOrCopy(from + "/" + r.from(), partial + "/" + r.entry().path());
                    } catch (DeployException e) {
                        // Gone from the live release (someone deleted it on the node): send it instead.
                        run.warn("cannot reuse " + r.from() + " from the current release (" + e.getMessage()
                                + "); sending it");
                        upload(run, source, partial, r.entry());
                    }
                }
            }
            run.info("sending " + plan.send().size() + " files (" + plan.bytesToSend() + " bytes)");
            for (ManifestEntry e : plan.send()) {
                upload(run, source, partial, e);
            }
            verify(run, source, plan, partial);
            t.writeFile(partial + "/" + Layout.RELEASE_MANIFEST, plan.manifest().toJson());
            t.rename(partial, Layout.release(plan.releaseId()));
        } catch (RuntimeException e) {
            try {
                t.remove(partial);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Checks the staged files against the manifest. A reused file that differs (someone edited the
     * live release in place) is sent again; a sent file that differs means the deploy tree does not
     * match its manifest.
     */
    private void verify(NodeRun run, ReleaseSource source, DeployPlan plan, String partial) {
        List<String> bad = mismatches(run.transport.scan(partial, p -> true), plan.manifest());
        if (bad.isEmpty()) {
            return;
        }
        Map<String, ManifestEntry> wanted = plan.manifest().byPath();
        Set<String> sent = new HashSet<>();
        plan.send().forEach(e -> sent.add(e.path()));
        List<String> badSent = bad.stream().filter(p -> sent.contains(p) || !wanted.containsKey(p)).toList();
        if (badSent.isEmpty()) {
            run.warn(bad.size() + " file(s) of the current release differ from its manifest; sending them: " + bad);
            for (String p : bad) {
                upload(run, source, partial, wanted.get(p));
            }
            badSent = mismatches(run.transport.scan(partial, p -> true), plan.manifest());
        }
        if (!badSent.isEmpty()) {
            throw new DeployException("the staged release does not match the manifest for " + badSent + "; the deploy "
                    + "tree " + source.tree() + " changed after it was rendered: render the instance again");
        }
    }

    private static List<String> mismatches(Manifest staged, Manifest wanted) {
        Map<String, ManifestEntry> have = staged.byPath();
        List<String> bad = new ArrayList<>();
        for (ManifestEntry w : wanted.files()) {
            ManifestEntry h = have.remove(w.path());
            if (h == null || !h.sha256().equals(w.sha256()) || !h.mode().equals(w.mode())) {
                bad.add(w.path());
            }
        }
        bad.addAll(have.keySet());
        return bad;
    }

    private static void upload(NodeRun run, ReleaseSource source, String dir, ManifestEntry e) {
        try (InputStream in = Files.newInputStream(source.tree().resolve(e.path()))) {
            run.transport.upload(dir + "/" + e.path(), in, e.size(), e.mode());
        } catch (IOException x) {
            throw DeployException.io("cannot read " + source.tree().resolve(e.path()), x);
        }
        run.filesSent++;
        run.bytesSent += e.size();
    }

    private static void removeStalePartials(NodeRun run) {
        for (String name : run.transport.list(Layout.RELEASES)) {
            if (name.endsWith(Layout.PARTIAL)) {
                run.warn("removing " + Layout.RELEASES + "/" + name + ", left by an interrupted deploy");
                run.transport.remove(Layout.RELEASES + "/" + name);
            }
        }
    }

    private static void restore(NodeRun run, Optional<String> previous) {
        if (previous.isPresent()) {
            run.switchCurrent(previous.get());
        } else {
            // The first deploy failed: as before it, no release is live.
            run.transport.remove(Layout.CURRENT);
        }
    }

    private static String restored(Optional<String> previous) {
        return previous.map(p -> "current switched back to " + p).orElse("current removed: no earlier release");
    }

    private static void recordQuietly(NodeRun run, String id, String hash, RuntimeException failure) {
        try {
            run.record(id, DeployLogEntry.FAILED, hash, Strategy.RELEASES);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Keeps the {@code keep} most recently deployed releases, and always {@code current}, the last
     * successful one and the one rollback would switch to, which may be older when recent deploys failed.
     */
    private static void prune(NodeRun run, int keep) {
        List<DeployLogEntry> log = run.readLog();
        Map<String, Integer> lastSeen = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            lastSeen.put(log.get(i).release(), i);
        }
        Set<String> protect = new HashSet<>();
        run.currentRelease().ifPresent(protect::add);
        DeployLog.lastGood(log).ifPresent(protect::add);
        // The release rollback would switch to: failed releases must not push it out of keep.
        run.currentRelease().flatMap(c -> previousGood(log, c, run.transport)).ifPresent(protect::add);
        List<String> releases = new ArrayList<>(run.transport.list(Layout.RELEASES).stream()
                .filter(n -> !n.endsWith(Layout.PARTIAL)).toList());
        // Newest first: by last appearance in the log; releases the log does not know are oldest.
        releases.sort(Comparator.comparing((String n) -> lastSeen.getOrDefault(n, -1)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (int i = keep; i < releases.size(); i++) {
            String name = releases.get(i);
            if (!protect.contains(name)) {
                run.info("removing old release " + name);
                run.transport.remove(Layout.release(name));
            }
        }
    }
}

package io.facsimile.core.deploy;

import io.facsimile.core.bundle.Manifest;
import io.facsimile.core.bundle.ManifestEntry;
import io.facsimile.core.deploy.guard.Durations;
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
    private final ReleaseCheck check = new ReleaseCheck();

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

    NodeResult deploy(NodeRun run, ReleaseSource source, DeploySpec spec, boolean dryRun, boolean checksum) {
        Transport t = run.transport;
        Manifest target = planner.target(source.manifest(), spec);
        String id = DeployPlanner.releaseId(source.version(), target);
        Optional<String> current = t.readLink(Layout.CURRENT).map(Layout::idOf);
        // The node is the truth: a release of this id on the node is checked against this build's
        // manifest (quick check, or by content with checksum) before it is trusted.
        ReleaseCheck.Drift drift = t.exists(Layout.release(id)) || current.filter(id::equals).isPresent()
                ? check.check(t, Layout.release(id), target, checksum) : null;
        boolean live = current.filter(id::equals).isPresent() && drift.present();
        // A release is named by the hash of its manifest: when current already names this one, the
        // node's copy of the manifest (10,000 entries to read and parse) can only say the same.
        NodeState state = live ? new NodeState(current, Optional.of(target))
                : state(t, current.filter(c -> !c.equals(id)));
        DeployPlan plan = planner.planRelease(id, target, state, spec);
        if (dryRun) {
            String repair = drift != null && drift.present() && !drift.clean()
                    ? "; would repair release " + id + ": " + drift.describe().strip() : "";
            run.info("dry run: " + plan.summary() + repair);
            return run.result(Outcome.PLANNED, id, "dry run: " + plan.summary() + repair, plan);
        }
        if (plan.upToDate() && drift.clean()) {
            run.info("release " + id + " is already current, nothing to do");
            return run.result(Outcome.UNCHANGED, id, "already current", plan);
        }
        removeStalePartials(run);
        String hash = plan.manifest().treeHash();
        Optional<String> previous = state.currentRelease();
        int repaired = 0;
        Watchdog watchdog = null;
        try {
            if (drift != null && drift.present()) {
                if (!drift.clean()) {
                    run.warn("release " + id + " on the node differs from this build: " + drift.describe().strip());
                    repaired = check.repair(run, source, Layout.release(id), target, drift);
                    run.info("repaired " + repaired + " files on " + run.node.name());
                }
                if (!live) {
                    run.info("release " + id + " is already on the node, switching to it");
                }
            } else {
                stage(run, source, plan, state);
            }
            if (!live) {
                watchdog = Watchdog.arm(run, id, hash, previous, spec.guard().confirm());
            }
            run.switchCurrent(id);
        } catch (RuntimeException e) {
            if (watchdog != null) {
                settleQuietly(watchdog, e);
            }
            recordQuietly(run, id, hash, e);
            throw e;
        }
        if (live) {
            // Only repaired: the release was live all along, postcmd has run for it.
            run.record(id, DeployLogEntry.OK, hash, Strategy.RELEASES);
            return run.result(Outcome.DEPLOYED, id, "repaired " + repaired + " files", plan);
        }
        Optional<String> failure;
        try {
            failure = afterSwitch(run, id, spec, watchdog);
        } catch (RuntimeException e) {
            try {
                switchBack(run, watchdog, id, hash, previous);
            } catch (RuntimeException x) {
                e.addSuppressed(x);
                throw new DeployException(e.getMessage() + "; if " + run.node.name() + " is up, its watchdog switches "
                        + "current back to " + previous.orElse("no release") + " once "
                        + Durations.format(spec.guard().confirm()) + " have passed since the switch", e, false);
            }
            throw e;
        }
        if (failure.isEmpty() && !watchdog.confirm()) {
            failure = Optional.of(watchdog.interrupted() ? "interrupted" : "not confirmed in time");
        }
        if (failure.isPresent()) {
            String back = switchBack(run, watchdog, id, hash, previous);
            // Failed releases count against keep as well, so that repeated failures do not fill the disk.
            prune(run, spec.keep());
            return run.result(Outcome.FAILED, id, failure.get() + "; " + back, plan);
        }
        run.record(id, DeployLogEntry.OK, hash, Strategy.RELEASES);
        prune(run, spec.keep());
        return run.result(Outcome.DEPLOYED, id, "", plan);
    }

    /**
     * Switches {@code current} back to the previous successful release, after checking it: drift is
     * repaired from the current release where it holds the same content (checked itself), a target
     * that cannot be repaired is refused listing its files unless forced. A failing postcmd switches
     * back to the release that was current.
     */
    NodeResult rollback(NodeRun run, DeployRequest request) {
        Transport t = run.transport;
        DeploySpec spec = request.spec();
        Optional<String> current = run.currentRelease();
        if (current.isEmpty()) {
            throw DeployException.refused("nothing is deployed to " + t.describeHome() + " on " + run.node.name()
                    + " (no current release), so there is nothing to roll back");
        }
        List<DeployLogEntry> log = run.readLog();
        String target = previousGood(log, current.get(), t).orElseThrow(() -> DeployException.refused(
                "no earlier successful release to roll back to on " + run.node.name() + ": current is " + current.get()
                        + " and " + t.describeHome() + "/" + Layout.LOG + " lists no other successful release that is "
                        + "still in " + t.describeHome() + "/" + Layout.RELEASES));
        String dir = Layout.release(target);
        Optional<Manifest> manifest = state(t, Optional.of(target)).manifest();
        if (manifest.isEmpty()) {
            return refuseOrForce(run, request, current.get(), target, "its " + Layout.RELEASE_MANIFEST
                    + " is missing, so its files cannot be checked");
        }
        if (!target.endsWith("-" + manifest.get().treeHash().substring(0, DeployPlanner.HASH_DIGITS))) {
            // A release is named by its manifest's hash: a manifest that does not match its name was edited.
            return refuseOrForce(run, request, current.get(), target, "its " + Layout.RELEASE_MANIFEST
                    + " does not match the release's name, so its files cannot be checked");
        }
        ReleaseCheck.Drift drift = check.check(t, dir, manifest.get(), request.checksum());
        String fromTo = current.get() + " -> " + target;
        if (request.dryRun()) {
            String what = drift.clean() ? "" : "; it differs from its manifest: " + drift.describe().strip();
            run.info("dry run: would roll back " + fromTo + what);
            return run.result(Outcome.PLANNED, target, "dry run: would roll back " + fromTo + what, null);
        }
        if (!drift.clean()) {
            List<String> unrepairable = repairFromNode(run, dir, manifest.get(), drift, current.get());
            if (!unrepairable.isEmpty()) {
                return refuseOrForce(run, request, current.get(), target, unrepairable.size()
                        + " file(s) differ from its manifest and their content is no longer on the node: " + unrepairable);
            }
        }
        run.info("rolling back " + fromTo);
        run.switchCurrent(target);
        String hash = manifest.get().treeHash();
        Optional<String> failure;
        try {
            failure = run.postcmd(dir, spec.postcmd(), spec.guard().postcmd());
        } catch (RuntimeException e) {
            restore(run, current);
            throw e;
        }
        if (failure.isPresent()) {
            restore(run, current);
            run.record(target, DeployLogEntry.FAILED, hash, Strategy.RELEASES);
            return run.result(Outcome.FAILED, target, "rolled back to " + target + ", but " + failure.get() + "\n"
                    + restored(current), null);
        }
        run.record(target, DeployLogEntry.ROLLBACK, hash, Strategy.RELEASES);
        return run.result(Outcome.ROLLED_BACK, target, "was " + current.get(), null);
    }

    private NodeResult refuseOrForce(NodeRun run, DeployRequest request, String current, String target, String why) {
        if (!request.force()) {
            throw DeployException.refused("not rolling back " + current + " -> " + target + " on " + run.node.name()
                    + ": release " + target + " is incomplete or drifted, " + why + ". Deploy the version you want"
                    + " instead, or switch anyway with -Dfacsimile.force");
        }
        run.warn("switching to release " + target + " although " + why + " (forced)");
        if (request.dryRun()) {
            return run.result(Outcome.PLANNED, target, "dry run: would roll back " + current + " -> " + target
                    + " (forced: " + why + ")", null);
        }
        run.switchCurrent(target);
        run.record(target, DeployLogEntry.ROLLBACK, "", Strategy.RELEASES);
        Optional<String> failure = run.postcmd(Layout.release(target), request.spec().postcmd(),
                request.spec().guard().postcmd());
        if (failure.isPresent()) {
            restore(run, Optional.of(current));
            return run.result(Outcome.FAILED, target, "rolled back to " + target + ", but " + failure.get() + "\n"
                    + restored(Optional.of(current)), null);
        }
        return run.result(Outcome.ROLLED_BACK, target, "was " + current + "; forced, not repaired", null);
    }

    /**
     * Repairs a release from the current release on the node: a file is copied from there when the
     * current release's manifest lists the same content and mode at that path and the file passes the
     * current release's own check. Extra entries are removed.
     *
     * @return the files that could not be repaired
     */
    private List<String> repairFromNode(NodeRun run, String dir, Manifest manifest, ReleaseCheck.Drift drift,
            String current) {
        Transport t = run.transport;
        String from = Layout.release(current);
        Map<String, ManifestEntry> good = new HashMap<>();
        state(t, Optional.of(current)).manifest().ifPresent(m -> {
            ReleaseCheck.Drift own = check.check(t, from, m, false);
            Set<String> bad = new HashSet<>(own.changed());
            bad.addAll(own.missing());
            m.files().stream().filter(e -> !bad.contains(e.path())).forEach(e -> good.put(e.path(), e));
        });
        Map<String, ManifestEntry> wanted = manifest.byPath();
        List<String> repairable = new ArrayList<>();
        List<String> unrepairable = new ArrayList<>();
        List<String> broken = new ArrayList<>(drift.changed());
        broken.addAll(drift.missing());
        for (String p : broken) {
            ManifestEntry w = wanted.get(p);
            ManifestEntry g = good.get(p);
            if (g != null && g.sha256().equals(w.sha256()) && g.mode().equals(w.mode())) {
                repairable.add(p);
            } else {
                unrepairable.add(p);
            }
        }
        if (!unrepairable.isEmpty()) {
            return unrepairable;
        }
        for (String p : drift.extra()) {
            t.remove(Layout.join(dir, p));
        }
        for (String p : repairable) {
            t.remove(Layout.join(dir, p));
        }
        t.copyAll(from, dir, repairable);
        t.writeFile(Layout.join(dir, Layout.RELEASE_MANIFEST), manifest.toJson());
        check.record(t, dir);
        run.info("repaired " + drift.files() + " files on " + run.node.name() + " from release " + current);
        return List.of();
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
                reuse(run, source, plan, state, partial);
            }
            run.info("sending " + plan.send().size() + " files (" + plan.bytesToSend() + " bytes)");
            for (ManifestEntry e : plan.send()) {
                ReleaseCheck.upload(run, source, partial, e);
            }
            verify(run, source, plan, partial);
            t.writeFile(partial + "/" + Layout.RELEASE_MANIFEST, plan.manifest().toJson());
            check.record(t, partial);
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
     * Copies the unchanged files from the current release on the node: each release has its own inodes,
     * so an in-place edit of a live file changes no other release. Only files that pass the check of
     * the current release against its manifest are copied; a drifted one is sent from this build.
     */
    private void reuse(NodeRun run, ReleaseSource source, DeployPlan plan, NodeState state, String partial) {
        Transport t = run.transport;
        String current = state.currentRelease().orElseThrow();
        String from = Layout.release(current);
        ReleaseCheck.Drift drift = check.check(t, from, state.manifest().orElseThrow(), false);
        Set<String> bad = new HashSet<>(drift.changed());
        bad.addAll(drift.missing());
        List<String> same = new ArrayList<>();
        for (DeployPlan.Reuse r : plan.reuse()) {
            if (bad.contains(r.from())) {
                run.warn(r.from() + " of the current release differs from its manifest; sending it");
                ReleaseCheck.upload(run, source, partial, r.entry());
            } else if (r.from().equals(r.entry().path())) {
                same.add(r.from());
            } else {
                // Moved: copied beside the release's records, then renamed into place.
                String scratch = Layout.join(partial, Layout.META_DIR + "/moved");
                t.copyAll(from, scratch, List.of(r.from()));
                t.makeDirs(Layout.parent(Layout.join(partial, r.entry().path())));
                t.rename(Layout.join(scratch, r.from()), Layout.join(partial, r.entry().path()));
            }
        }
        run.info("copying " + same.size() + " unchanged files from release " + current + " on the node");
        t.copyAll(from, partial, same);
        t.remove(Layout.join(partial, Layout.META_DIR + "/moved"));
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
                ReleaseCheck.upload(run, source, partial, wanted.get(p));
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

    private static void removeStalePartials(NodeRun run) {
        for (String name : run.transport.list(Layout.RELEASES)) {
            if (name.endsWith(Layout.PARTIAL)) {
                run.warn("removing " + Layout.RELEASES + "/" + name + ", left by an interrupted deploy");
                run.transport.remove(Layout.RELEASES + "/" + name);
            }
        }
    }

    /** After the switch: postcmd, then the health check; nothing once an interrupt has switched back. */
    private static Optional<String> afterSwitch(NodeRun run, String id, DeploySpec spec, Watchdog watchdog) {
        Optional<String> failure = watchdog.interrupted() ? Optional.of("interrupted")
                : run.postcmd(Layout.release(id), spec.postcmd(), spec.guard().postcmd());
        if (failure.isEmpty() && spec.guard().healthcheck().isPresent()) {
            failure = watchdog.interrupted() ? Optional.of("interrupted")
                    : HealthProbe.check(run, Layout.release(id), spec.guard().healthcheck().get());
        }
        return failure.map(f -> watchdog.interrupted() && !f.startsWith("interrupted") ? "interrupted (" + f + ")" : f);
    }

    /**
     * Switches a node back after a failure after its switch. The watchdog is stopped first; when it (or
     * an interrupt) has already switched back and logged it, that is all. Otherwise the deploy switches
     * back and logs {@code failed}.
     *
     * @return what happened, for the node's reason
     */
    private static String switchBack(NodeRun run, Watchdog watchdog, String id, String hash, Optional<String> previous) {
        boolean armed = watchdog.confirm();
        if (!armed && run.currentRelease().filter(id::equals).isEmpty()) {
            return (watchdog.interrupted() ? "" : "the node's watchdog ") + restored(previous);
        }
        restore(run, previous);
        run.record(id, watchdog.interrupted() ? DeployLogEntry.INTERRUPTED : DeployLogEntry.FAILED, hash,
                Strategy.RELEASES);
        return restored(previous);
    }

    private static void settleQuietly(Watchdog watchdog, RuntimeException failure) {
        try {
            watchdog.confirm();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
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
     * Removes only releases the deploy log names; anything else in {@code releases/} is named in a warning.
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
        // Only what Facsimile recorded is its to remove: an operator's backup or note in releases/ stays.
        List<String> releases = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        for (String n : run.transport.list(Layout.RELEASES)) {
            if (lastSeen.containsKey(n)) {
                releases.add(n);
            } else if (!n.endsWith(Layout.PARTIAL)) {
                foreign.add(n);
            }
        }
        if (!foreign.isEmpty() && releases.size() > keep) {
            run.warn("not pruning " + foreign.size() + " entries of " + Layout.RELEASES + "/ that no deploy recorded: "
                    + foreign + "; remove them yourself if they are not needed");
        }
        // Newest first: by last appearance in the log.
        releases.sort(Comparator.comparing((String n) -> lastSeen.get(n)).reversed()
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

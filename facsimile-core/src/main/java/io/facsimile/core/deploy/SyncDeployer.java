package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Strategy {@code sync} on one node: mirror the tree into {@code home} like {@code rsync --delete}.
 * Each file is replaced atomically, but the home as a whole changes file by file: that is the price
 * of this strategy, and why {@code releases} is the default.
 */
final class SyncDeployer {

    private final DeployPlanner planner = new DeployPlanner();

    /** What is live in the home, read from the files themselves (not from the last manifest), exclusions left out. */
    NodeState state(Transport t, DeploySpec spec) {
        return new NodeState(Optional.empty(), Optional.of(t.scan("", live(spec))));
    }

    /** The paths of a home that belong to the deployed tree: not reserved, not excluded. */
    static Predicate<String> live(DeploySpec spec) {
        ExcludeFilter exclude = new ExcludeFilter(spec.exclude());
        return p -> {
            boolean dir = p.endsWith("/");
            String path = dir ? p.substring(0, p.length() - 1) : p;
            if (Layout.isReserved(path)) {
                return false;
            }
            return dir ? !exclude.excludesDirectory(path) : !exclude.excludes(path);
        };
    }

    NodeResult deploy(NodeRun run, ReleaseSource source, DeploySpec spec, boolean dryRun) {
        Transport t = run.transport;
        DeployPlan plan = planner.plan(source, state(t, spec), spec);
        String id = plan.releaseId();
        if (dryRun) {
            run.info("dry run: " + plan.summary());
            return run.result(Outcome.PLANNED, id, "dry run: " + plan.summary(), plan);
        }
        if (plan.upToDate()) {
            run.info(t.describeHome() + " already holds release " + id + ", nothing to do");
            return run.result(Outcome.UNCHANGED, id, "already in sync", plan);
        }
        String hash = source.treeHash(plan.manifest());
        // Sync deletes before it sends: a local file that cannot be read must stop the run before that.
        checkReadable(source, plan);
        try {
            run.info("sending " + plan.send().size() + " files (" + plan.bytesToSend() + " bytes), removing "
                    + plan.remove().size());
            // Removals first, so that a path that turns from a file into a directory (or back) is free.
            for (String p : plan.remove()) {
                t.remove(p);
            }
            removeEmptyDirectories(t, plan, spec);
            for (ManifestEntry e : plan.send()) {
                ReleaseCheck.upload(run, source, "", e);
            }
            t.writeFile(Layout.SYNC_MANIFEST, source.manifestJson(plan.manifest()));
        } catch (RuntimeException e) {
            try {
                run.record(id, DeployLogEntry.FAILED, hash, Strategy.SYNC);
            } catch (RuntimeException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        Optional<String> failure = run.postcmd("", spec.postcmd(), spec.guard().postcmd());
        if (failure.isEmpty() && spec.guard().healthcheck().isPresent()) {
            failure = HealthProbe.check(run, "", spec.guard().healthcheck().get());
        }
        run.record(id, failure.isPresent() ? DeployLogEntry.FAILED : DeployLogEntry.OK, hash, Strategy.SYNC);
        return failure.map(f -> run.result(Outcome.FAILED, id, f, plan))
                .orElseGet(() -> run.result(Outcome.DEPLOYED, id, "", plan));
    }

    /** Directories left empty by removals, deepest first, unless excluded or still needed by the new tree. */
    private static void removeEmptyDirectories(Transport t, DeployPlan plan, DeploySpec spec) {
        ExcludeFilter exclude = new ExcludeFilter(spec.exclude());
        Set<String> needed = plan.manifest().directories();
        Set<String> candidates = new TreeSet<>(Comparator.comparingInt((String d) -> d.split("/").length)
                .reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (String p : plan.remove()) {
            for (String d = Layout.parent(p); !d.isEmpty(); d = Layout.parent(d)) {
                candidates.add(d);
            }
        }
        for (String d : candidates) {
            if (!needed.contains(d)
                    && !exclude.excludesDirectory(d)
                    && !Layout.isReserved(d)
                    && t.list(d).isEmpty()) {
                t.remove(d);
            }
        }
    }

    private static void checkReadable(ReleaseSource source, DeployPlan plan) {
        for (ManifestEntry e : plan.send()) {
            try (InputStream in = source.open(e)) {
                in.read();
            } catch (IOException x) {
                throw DeployException.io(
                        "cannot read " + source.tree().resolve(e.path()) + " (nothing was changed on the node)", x);
            }
        }
    }

    /** The manifest recorded by the last sync deploy, if any. */
    static Optional<Manifest> recorded(Transport t, ManifestJson json) {
        return t.readFile(Layout.SYNC_MANIFEST).map(b -> json.parse(b, t.describeHome() + "/" + Layout.SYNC_MANIFEST));
    }
}

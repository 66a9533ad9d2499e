package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Strategy {@code releases} on one node: stage {@code releases/<id>.partial}, verify, rename,
 * switch {@code current}, run postcmd (switching back when it fails), record, prune.
 */
final class ReleasesDeployer {

    private final DeployPlanner planner = new DeployPlanner();
    private final ManifestJson manifests = new ManifestJson();
    private final ReleaseCheck check = new ReleaseCheck();
    private final ReleaseRecycler recycler = new ReleaseRecycler(check);

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

    /**
     * What a deploy copies from: {@code current} and its manifest. A manifest that cannot be parsed is
     * named in a warning and copies nothing (this build sends every file), so that a redeploy repairs the
     * node instead of failing on it for good.
     */
    private NodeState liveState(NodeRun run, Optional<String> current) {
        Transport t = run.transport;
        Optional<Manifest> manifest = current.flatMap(id -> {
            String path = Layout.release(id) + "/" + Layout.RELEASE_MANIFEST;
            return t.readFile(path).flatMap(bytes -> {
                Optional<Manifest> whole = manifests.parseIfWhole(bytes);
                if (whole.isEmpty()) {
                    run.warn(t.describeHome() + "/" + path + " is not a manifest: nothing is copied from release " + id
                            + ", this build sends every file");
                }
                return whole;
            });
        });
        return new NodeState(current, manifest);
    }

    NodeResult deploy(NodeRun run, ReleaseSource source, DeploySpec spec, boolean dryRun, boolean checksum) {
        Transport t = run.transport;
        // the hash of 10,000 entries, taken once (or as an earlier deploy of the same manifest recorded
        // it, the manifest then parsed only when needed): it names the release and goes into its log line
        Optional<String> recorded = spec.exclude().isEmpty() ? source.recordedTreeHash() : Optional.empty();
        Supplier<Manifest> wanted = new Once<>(() -> planner.target(source.manifest(), spec));
        String hash = recorded.orElseGet(() -> source.treeHash(wanted.get()));
        String id = DeployPlanner.releaseId(source.version(), hash);
        revertUnconfirmed(run, dryRun);
        Optional<String> current = t.readLink(Layout.CURRENT).map(Layout::idOf);
        // The node is the truth: a release of this id on the node is checked against this build's
        // manifest (quick check, or by content with checksum) before it is trusted.
        ReleaseCheck.Drift drift =
                t.exists(Layout.release(id)) || current.filter(id::equals).isPresent()
                        ? check.check(t, Layout.release(id), wanted, checksum)
                        : null;
        boolean live = current.filter(id::equals).isPresent() && drift.present();
        if (live && drift.clean() && !dryRun) {
            run.info("release " + id + " is already current, nothing to do");
            return run.result(Outcome.UNCHANGED, id, "already current", null);
        }
        Manifest target = wanted.get();
        Optional<String> previous = live ? current : current.filter(c -> !c.equals(id));
        // A release is named by the hash of its manifest: when current already names this one, the
        // node's copy of the manifest (10,000 entries to read and parse) can only say the same. Otherwise
        // it is read when the plan needs it, which a recycled release holding the change may spare.
        Supplier<NodeState> state =
                new Once<>(() -> live ? new NodeState(current, Optional.of(target)) : liveState(run, previous));
        Supplier<DeployPlan> planned = new Once<>(() -> planner.planRelease(id, target, state.get(), spec));
        if (dryRun) {
            DeployPlan plan = planned.get();
            String repair = drift != null && drift.present() && !drift.clean()
                    ? "; would repair release " + id + ": " + drift.describe().strip()
                    : "";
            run.info("dry run: " + plan.summary() + repair);
            return run.result(Outcome.PLANNED, id, "dry run: " + plan.summary() + repair, plan);
        }
        removeStalePartials(run);
        DeployPlan plan = live ? planned.get() : null;
        int repaired = 0;
        Watchdog watchdog = null;
        try {
            if (drift != null && drift.present()) {
                if (!drift.clean()) {
                    run.warn("release " + id + " on the node differs from this build: "
                            + drift.describe().strip());
                    repaired = check.repair(run, source, Layout.release(id), target, drift);
                    run.info("repaired " + repaired + " files on " + run.node.name());
                }
                if (!live) {
                    run.info("release " + id + " is already on the node, switching to it");
                }
            } else {
                plan = stage(run, source, id, target, planned, state, spec.keep(), checksum);
            }
            if (live) {
                run.switchCurrent(id);
            } else if (confirmed(spec)) {
                watchdog = Watchdog.armAndSwitch(
                        run, id, hash, previous, spec.guard().confirm());
            }
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
        if (watchdog == null) {
            // Nothing runs after the switch that could fail it: the switch and the log's line end the
            // deploy, only pruning follows.
            switchAndRecord(run, id, hash);
            prune(run, spec.keep());
            return run.result(Outcome.DEPLOYED, id, "", plan);
        }
        Optional<String> failure;
        try {
            failure = afterSwitch(run, id, spec, watchdog);
        } catch (RuntimeException e) {
            try {
                switchBack(run, watchdog, id, hash, previous);
            } catch (RuntimeException x) {
                e.addSuppressed(x);
                throw DeployException.broken(
                        e.getMessage() + "; "
                                + watchdogSwitchesBack(
                                        run, previous, spec.guard().confirm()),
                        e);
            }
            throw e;
        }
        Optional<Unconfirmed> unconfirmed = confirmOrSwitchBack(
                run,
                watchdog,
                id,
                hash,
                previous,
                DeployLogEntry.OK,
                failure,
                spec.guard().confirm());
        if (unconfirmed.isPresent()) {
            // Failed releases count against keep as well, so that repeated failures do not fill the disk.
            prune(run, spec.keep());
            return run.result(
                    Outcome.FAILED,
                    id,
                    unconfirmed.get().why() + "; " + unconfirmed.get().back(),
                    plan);
        }
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
        Optional<String> current = run.currentRelease();
        List<String> unconfirmed = revertUnconfirmed(run, request.dryRun());
        if (request.dryRun() && request.rollbackTo() == null && run.transport.hasUnconfirmedSwitch()) {
            // what the real run would fire: each token names its release (read by the node, no link followed)
            unconfirmed = said(run.transport.exec("", GuardScripts.unconfirmedReleases(), Watchdog.QUICK), UNCONFIRMED);
        }
        Optional<String> left = current.filter(unconfirmed::contains);
        if (left.isPresent()
                && request.rollbackTo() == null
                && (request.dryRun() || !run.currentRelease().equals(current))) {
            // leaving the release no deploy confirmed is the rollback: going on would take the node one
            // release further back, past the release that was good before it
            if (request.dryRun()) {
                String fromTo = left.get() + " -> the release before it, where its watchdog switches back";
                run.info("dry run: would roll back " + fromTo);
                return run.result(Outcome.PLANNED, left.get(), "dry run: would roll back " + fromTo, null);
            }
            Optional<String> now = run.currentRelease();
            String back = now.map(r -> "current is " + r + " again").orElse("current removed: no earlier release");
            run.info("rolled back from " + left.get() + ", which no deploy confirmed: " + back);
            return run.result(
                    Outcome.ROLLED_BACK,
                    now.orElse(left.get()),
                    "was " + left.get() + ", never confirmed; " + back,
                    null);
        }
        return rollback(run, request, false);
    }

    /**
     * Fires at once the watchdog of a switch that no deploy confirmed (its deploy ended while postcmd or
     * the health check ran, and the watchdog waits for this run's lock): {@code current} goes back to the
     * release before it, as the watchdog would have done, so a release that never passed its checks is
     * not taken for current nor rolled back from. A dry run only says so.
     *
     * @return the releases of the switches whose watchdogs it fired; empty when there was none, and in a dry run
     * @throws DeployException (refused) when a token's watchdog cannot run, naming it
     */
    static List<String> revertUnconfirmed(NodeRun run, boolean dryRun) {
        Transport t = run.transport;
        if (!t.hasUnconfirmedSwitch()) {
            return List.of();
        }
        if (dryRun) {
            run.warn("a switch that no deploy confirmed is on the node (" + Layout.META_DIR + "/guard-*.armed): its"
                    + " watchdog switches current back, and a deploy or rollback does so first");
            return List.of();
        }
        ExecResult fired = t.exec("", GuardScripts.fireUnconfirmed(run.who), Watchdog.QUICK);
        List<String> stuck = said(fired, "STUCK");
        List<String> released = said(fired, UNCONFIRMED);
        released.forEach(release -> run.warn("release " + release + " was switched to by a deploy that ended before"
                + " its postcmd and health check passed; its watchdog has switched current back now, before this"
                + " run"));
        if (!fired.ok() || !stuck.isEmpty()) {
            throw DeployException.refused("a switch that no deploy confirmed is on " + run.node.name() + " ("
                    + (stuck.isEmpty() ? Layout.META_DIR + "/guard-*.armed" : String.join(", ", stuck))
                    + ") and its watchdog cannot run"
                    + (fired.timedOut() ? " within " + Watchdog.QUICK.toSeconds() + " s" : "")
                    + ": check where " + Layout.CURRENT + " points in " + t.describeHome()
                    + ", remove the token and run again");
        }
        return released;
    }

    /** The word the guard's scripts put before each release of an unconfirmed switch they fire or list. */
    private static final String UNCONFIRMED = "UNCONFIRMED";

    /** What a command said after {@code word} on each of its lines that starts with it and a space, in order. */
    private static List<String> said(ExecResult result, String word) {
        return result.stdout()
                .lines()
                .filter(line -> line.startsWith(word + " "))
                .map(line -> line.substring(word.length() + 1))
                .toList();
    }

    /**
     * Switches a node this run deployed back to the release it had before ({@code onFailure: revert}),
     * checked as a rollback target is. Touches nothing when {@code current} no longer names the release
     * this run deployed; removes {@code current} when no release was live before.
     */
    NodeResult revert(NodeRun run, DeployRequest request, String deployed, Optional<String> before, String why) {
        Optional<String> current = run.currentRelease();
        if (!current.equals(Optional.of(deployed))) {
            throw DeployException.refused("not switching " + run.node.name() + " back: current is "
                    + current.orElse("absent") + ", no longer " + deployed + ", the release this run deployed");
        }
        if (before.isEmpty()) {
            run.info("removing current: no release was live before " + deployed + " (" + why + ")");
            run.transport.remove(Layout.CURRENT);
            run.record(deployed, DeployLogEntry.FAILED, "", Strategy.RELEASES);
            return run.result(
                    Outcome.REVERTED,
                    deployed,
                    "deployed " + deployed + ", then current removed as no " + "release was live before: " + why,
                    null);
        }
        run.info("switching back " + deployed + " -> " + before.get() + ": " + why);
        NodeResult back = rollback(run, request.withRollbackTo(before.get()), true);
        if (back.outcome() == Outcome.FAILED) {
            return back;
        }
        return run.result(
                Outcome.REVERTED,
                before.get(),
                "deployed " + deployed + ", switched back to " + before.get()
                        + (back.outcome() == Outcome.ROLLED_BACK ? " (forced, not repaired)" : "") + ": " + why,
                null);
    }

    private NodeResult rollback(NodeRun run, DeployRequest request, boolean revert) {
        Transport t = run.transport;
        DeploySpec spec = request.spec();
        Optional<String> current = run.currentRelease();
        if (current.isEmpty()) {
            throw DeployException.refused("nothing is deployed to " + t.describeHome() + " on " + run.node.name()
                    + " (no current release), so there is nothing to roll back");
        }
        List<DeployLogEntry> log = run.readLog();
        String target = request.rollbackTo() != null
                ? named(run, request.rollbackTo())
                : previousGood(log, current.get(), t)
                        .orElseThrow(() -> DeployException.refused("no earlier successful release to roll back to on "
                                + run.node.name() + ": current is " + current.get()
                                + " and " + t.describeHome() + "/" + Layout.LOG
                                + " lists no other successful release that is "
                                + "still in " + t.describeHome() + "/" + Layout.RELEASES));
        if (target.equals(current.get())) {
            run.info("release " + target + " is already current, nothing to roll back");
            return run.result(Outcome.UNCHANGED, target, "already current", null);
        }
        String dir = Layout.release(target);
        Optional<Manifest> manifest = state(t, Optional.of(target)).manifest();
        if (manifest.isEmpty()) {
            return refuseOrForce(
                    run,
                    request,
                    current.get(),
                    target,
                    "its " + Layout.RELEASE_MANIFEST + " is missing, so its files cannot be checked");
        }
        if (!namedBy(target, manifest.get())) {
            // A release is named by its manifest's hash: a manifest that does not match its name was edited.
            return refuseOrForce(
                    run,
                    request,
                    current.get(),
                    target,
                    "its " + Layout.RELEASE_MANIFEST
                            + " does not match the release's name, so its files cannot be checked");
        }
        ReleaseCheck.Drift drift = check.check(t, dir, manifest.get(), request.checksum());
        String fromTo = current.get() + " -> " + target;
        if (request.dryRun()) {
            String what = drift.clean()
                    ? ""
                    : "; it differs from its manifest: " + drift.describe().strip();
            run.info("dry run: would roll back " + fromTo + what);
            return run.result(Outcome.PLANNED, target, "dry run: would roll back " + fromTo + what, null);
        }
        if (!drift.clean()) {
            List<String> unrepairable = repairFromNode(run, dir, manifest.get(), drift, current.get());
            if (!unrepairable.isEmpty()) {
                return refuseOrForce(
                        run,
                        request,
                        current.get(),
                        target,
                        unrepairable.size()
                                + " file(s) differ from its manifest and their content is no longer on the node: "
                                + unrepairable);
            }
        }
        run.info("rolling back " + fromTo);
        String hash = manifest.get().treeHash();
        Optional<String> failure = switchGuarded(
                run, spec, target, hash, current, revert ? DeployLogEntry.REVERTED : DeployLogEntry.ROLLBACK);
        if (failure.isPresent()) {
            return run.result(Outcome.FAILED, target, "rolled back to " + target + ", but " + failure.get(), null);
        }
        return run.result(revert ? Outcome.REVERTED : Outcome.ROLLED_BACK, target, "was " + current.get(), null);
    }

    /**
     * Switches {@code current} to {@code target} for a rollback, guarded as a deploy's switch is: with a
     * postcmd or a health check, the node's watchdog is armed before the switch (so a build that dies
     * meanwhile leaves the node on {@code previous}), postcmd and the health check run, and the switch is
     * confirmed with its log line {@code outcome} only once both pass; without either, the switch and its
     * line are one step.
     *
     * @return empty when {@code target} is live and logged; otherwise what failed, and how the node was put
     *     back (a line of its own)
     */
    private static Optional<String> switchGuarded(
            NodeRun run, DeploySpec spec, String target, String hash, Optional<String> previous, String outcome) {
        if (!confirmed(spec)) {
            if (!run.switchAndLog(target, outcome, hash, Strategy.RELEASES)) {
                run.record(target, outcome, hash, Strategy.RELEASES);
            }
            return Optional.empty();
        }
        Watchdog watchdog =
                Watchdog.armAndSwitch(run, target, hash, previous, spec.guard().confirm());
        Optional<String> failure;
        try {
            failure = afterSwitch(run, target, spec, watchdog);
        } catch (RuntimeException e) {
            try {
                switchBack(run, watchdog, target, hash, previous);
            } catch (RuntimeException x) {
                e.addSuppressed(x);
                throw DeployException.broken(
                        e.getMessage() + "; "
                                + watchdogSwitchesBack(
                                        run, previous, spec.guard().confirm()),
                        e);
            }
            throw e;
        }
        return confirmOrSwitchBack(
                        run,
                        watchdog,
                        target,
                        hash,
                        previous,
                        outcome,
                        failure,
                        spec.guard().confirm())
                .map(unconfirmed -> unconfirmed.why() + "\n" + unconfirmed.back());
    }

    /**
     * Why a guarded switch was not confirmed, and how the node was put back ({@link #switchBack}).
     */
    private record Unconfirmed(String why, String back) {}

    /**
     * Ends a guarded switch to {@code release} once postcmd and the health check have run: without a
     * {@code failure}, confirms it and records its log line {@code outcome} with one command on the node;
     * with one, or when the confirm comes too late or after an interrupt, switches back.
     *
     * @return empty when the switch is confirmed
     */
    private static Optional<Unconfirmed> confirmOrSwitchBack(
            NodeRun run,
            Watchdog watchdog,
            String release,
            String hash,
            Optional<String> previous,
            String outcome,
            Optional<String> failure,
            Duration confirm) {
        if (failure.isEmpty()
                && !watchdog.confirm(
                        run.logLine(release, outcome, hash, Strategy.RELEASES),
                        () -> run.record(release, outcome, hash, Strategy.RELEASES))) {
            failure = Optional.of(watchdog.interrupted() ? "interrupted" : "not confirmed in time");
        }
        return failure.map(why -> {
            try {
                return new Unconfirmed(why, switchBack(run, watchdog, release, hash, previous));
            } catch (RuntimeException x) {
                throw DeployException.broken(
                        why + "; switching back failed (" + x.getMessage() + "); "
                                + watchdogSwitchesBack(run, previous, confirm),
                        x);
            }
        });
    }

    /** What happens to a node whose switch back failed: its watchdog, still armed, switches back. */
    private static String watchdogSwitchesBack(NodeRun run, Optional<String> previous, Duration confirm) {
        return "if " + run.node.name() + " is up, its watchdog switches current back to "
                + previous.orElse("no release") + " once " + Durations.format(confirm)
                + " have passed since the switch";
    }

    /**
     * The release {@code -Dfacsimile.to} names on this node: a release id, or a version of which the node
     * holds exactly one release ({@code 1.4.0} for {@code 1.4.0-3f9a…}).
     *
     * @throws DeployException (a user error) naming the releases the node holds when none or several match
     */
    private static String named(NodeRun run, String wanted) {
        List<String> present = run.transport.list(Layout.RELEASES).stream()
                .filter(n -> !n.endsWith(Layout.PARTIAL))
                .toList();
        if (present.contains(wanted)) {
            return wanted;
        }
        List<String> ofVersion = present.stream()
                .filter(n -> n.lastIndexOf('-') > 0
                        && n.substring(0, n.lastIndexOf('-')).equals(wanted))
                .toList();
        if (ofVersion.size() == 1) {
            return ofVersion.get(0);
        }
        String where = run.transport.describeHome() + "/" + Layout.RELEASES;
        if (ofVersion.size() > 1) {
            throw DeployException.refused("-Dfacsimile.to=" + wanted + " names " + ofVersion.size() + " releases on "
                    + run.node.name() + ": " + ofVersion + "; give the whole release id");
        }
        throw DeployException.refused("no release " + wanted + " on " + run.node.name() + " to roll back to: "
                + where + (present.isEmpty() ? " holds none" : " holds " + present)
                + "; facsimile:history lists what was deployed when");
    }

    private NodeResult refuseOrForce(NodeRun run, DeployRequest request, String current, String target, String why) {
        if (!request.force()) {
            throw DeployException.refused("not rolling back " + current + " -> " + target + " on " + run.node.name()
                    + ": release " + target + " is incomplete or drifted, " + why + ". Deploy the version you want"
                    + " instead, or switch anyway with -Dfacsimile.force");
        }
        run.warn("switching to release " + target + " although " + why + " (forced)");
        if (request.dryRun()) {
            return run.result(
                    Outcome.PLANNED,
                    target,
                    "dry run: would roll back " + current + " -> " + target + " (forced: " + why + ")",
                    null);
        }
        // as an unforced rollback: guarded, postcmd and the health check decide, the log says how it ended
        Optional<String> failure =
                switchGuarded(run, request.spec(), target, "", Optional.of(current), DeployLogEntry.ROLLBACK);
        if (failure.isPresent()) {
            return run.result(Outcome.FAILED, target, "rolled back to " + target + ", but " + failure.get(), null);
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
    private List<String> repairFromNode(
            NodeRun run, String dir, Manifest manifest, ReleaseCheck.Drift drift, String current) {
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

    /** {@code true} when release {@code id} is named by the hash of {@code manifest}, as every release is. */
    private static boolean namedBy(String id, Manifest manifest) {
        return id.endsWith("-" + manifest.treeHash().substring(0, DeployPlanner.HASH_DIGITS));
    }

    /**
     * Stages release {@code id} as {@code releases/<id>.partial}, checks it and renames it into place.
     *
     * @param planned the plan against the current release, which reads that release's manifest; not asked
     *     for when the files a recycled release lacks of {@code target} take fewer bytes to send than the
     *     new release's manifest document
     * @return the plan followed, or {@code null} when none was needed
     */
    private DeployPlan stage(
            NodeRun run,
            ReleaseSource source,
            String id,
            Manifest target,
            Supplier<DeployPlan> planned,
            Supplier<NodeState> state,
            int keep,
            boolean checksum) {
        Transport t = run.transport;
        String partial = Layout.partial(id);
        t.remove(partial);
        try {
            Optional<ReleaseRecycler.Recycled> recycled = recycle(run, id, target, keep, checksum, partial);
            if (recycled.isEmpty()) {
                t.makeDirs(partial);
            }
            Set<String> present = recycled.map(ReleaseRecycler.Recycled::kept).orElse(Set.of());
            byte[] manifest = source.manifestJson(target); // one document for every node
            List<ManifestEntry> lacking = target.files().stream()
                    .filter(e -> !present.contains(e.path()))
                    .toList();
            // What the recycled release lacks is sent from this build when it takes fewer bytes (with a
            // tar header of 512 each) than the new release's manifest document, about the size of the
            // current release's (some 2 MB for 10,000 files): reading and parsing that one would only tell
            // what of it could be copied on the node instead.
            DeployPlan plan = recycled.isPresent() && bytes(lacking) + TAR_HEADER * lacking.size() < manifest.length
                    ? null
                    : planned.get();
            List<DeployPlan.Reuse> reuse = plan == null
                    ? List.of()
                    : plan.reuse().stream()
                            .filter(r -> !present.contains(r.entry().path()))
                            .toList();
            Reused reused = reuse.isEmpty() ? null : reused(run, reuse, state.get());
            List<ManifestEntry> send = new ArrayList<>(
                    plan == null
                            ? lacking
                            : plan.send().stream()
                                    .filter(e -> !present.contains(e.path()))
                                    .toList());
            if (reused != null) {
                send.addAll(reused.resend());
            }
            long bytes = bytes(send);
            run.info("sending " + send.size() + " files (" + bytes + " bytes)");
            send.forEach(source::check); // a file replaced by a FIFO would hold the upload forever
            UploadProgress progress = new UploadProgress(run, send.size(), bytes, System::nanoTime);
            Set<String> sent = new HashSet<>();
            send.forEach(e -> sent.add(e.path()));
            // Into the directory just created (nothing in it can be a link) or recycled (checked to hold
            // files and directories only), before anything else. Sent, copied and listed with as few node
            // programs as the transport can: one (a recycled release's removals, or the copies from the
            // current release, in it too); more only for a recycled release that also copies, or a moved file.
            Map<String, byte[]> records = Map.of(Layout.RELEASE_MANIFEST, manifest);
            Transport.Listing listing;
            if (reused == null && recycled.isEmpty()) {
                listing = t.uploadListAndHash(partial, source.tree(), send, records, progress);
            } else if (reused == null) {
                listing = t.replaceListAndHash(
                        partial, recycled.get().removals(), source.tree(), send, records, progress);
            } else if (recycled.isEmpty() && reused.moved().isEmpty()) {
                run.info("copying " + reused.same().size() + " unchanged files from release " + reused.release()
                        + " on the node");
                listing = t.uploadCopyListAndHash(
                        partial, source.tree(), send, records, reused.from(), reused.same(), progress);
            } else {
                recycled.ifPresent(r -> t.removeAll(partial, r.removals()));
                t.uploadAll(partial, source.tree(), send, records, progress);
                moveReused(t, reused, partial);
                run.info("copying " + reused.same().size() + " unchanged files from release " + reused.release()
                        + " on the node");
                listing = t.copyListAndHash(reused.from(), partial, reused.same(), sent);
            }
            Map<String, FileStat> staged = verify(run, source, target, partial, sent, listing);
            check.recordStaged(t, partial, id, staged);
            t.rename(partial, Layout.release(id));
            return plan;
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
     * Recycles the newest release that pruning would remove once this one is deployed, when there is one
     * and its manifest matches its name; see {@link ReleaseRecycler}. Should this deploy fail before its
     * switch, that release is gone as a successful deploy would have pruned it.
     */
    private Optional<ReleaseRecycler.Recycled> recycle(
            NodeRun run, String id, Manifest target, int keep, boolean checksum, String partial) {
        List<String> due = pruning(run, keep, Optional.of(id)).due();
        if (due.isEmpty()) {
            return Optional.empty();
        }
        String old = due.get(0);
        Optional<Manifest> own;
        try {
            own = state(run.transport, Optional.of(old)).manifest();
        } catch (DeployException e) {
            return Optional.empty(); // its records are damaged: pruned as it is
        }
        if (own.isEmpty() || !namedBy(old, own.get())) {
            return Optional.empty();
        }
        return recycler.recycle(run, old, own.get(), target, partial, checksum);
    }

    /** The bytes of a tar header, which each file sent over SSH costs besides its content. */
    private static final long TAR_HEADER = 512;

    private static long bytes(List<ManifestEntry> files) {
        return files.stream().mapToLong(ManifestEntry::size).sum();
    }

    /**
     * The unchanged files of a new release, to be copied from the current release on the node.
     *
     * @param from the current release's directory
     * @param same files copied to the same path
     * @param moved files copied to another path
     * @param resend files the current release holds drifted, sent from this build instead
     */
    private record Reused(
            String from, String release, List<String> same, List<DeployPlan.Reuse> moved, List<ManifestEntry> resend) {}

    /**
     * Which unchanged files can be copied from the current release: each release has its own inodes,
     * so an in-place edit of a live file changes no other release, and only files that pass the check
     * of the current release against its manifest are copied; a drifted one is sent from this build.
     */
    private Reused reused(NodeRun run, List<DeployPlan.Reuse> reuse, NodeState state) {
        Transport t = run.transport;
        String current = state.currentRelease().orElseThrow();
        String from = Layout.release(current);
        ReleaseCheck.Drift drift = check.check(t, from, state.manifest().orElseThrow(), false);
        Set<String> bad = new HashSet<>(drift.changed());
        bad.addAll(drift.missing());
        List<String> same = new ArrayList<>();
        List<DeployPlan.Reuse> moved = new ArrayList<>();
        List<ManifestEntry> resend = new ArrayList<>();
        for (DeployPlan.Reuse r : reuse) {
            if (bad.contains(r.from())) {
                run.warn(r.from() + " of the current release differs from its manifest; sending it");
                resend.add(r.entry());
            } else if (r.from().equals(r.entry().path())) {
                same.add(r.from());
            } else {
                moved.add(r);
            }
        }
        return new Reused(from, current, same, moved, resend);
    }

    /** Copies the unchanged files that move to another path, each beside the release's records, then into place. */
    private static void moveReused(Transport t, Reused reused, String partial) {
        if (reused.moved().isEmpty()) {
            return;
        }
        String scratch = Layout.join(partial, Layout.META_DIR + "/moved");
        for (DeployPlan.Reuse r : reused.moved()) {
            t.copyAll(reused.from(), scratch, List.of(r.from()));
            t.makeDirs(Layout.parent(Layout.join(partial, r.entry().path())));
            t.rename(
                    Layout.join(scratch, r.from()),
                    Layout.join(partial, r.entry().path()));
        }
        t.remove(scratch);
    }

    /**
     * Checks the staged release against the manifest with one listing of it: every file there with its
     * type, size and mode, nothing else; the sent files are hashed on the node too (the copied ones come
     * from a release that passed its own check, and are not read again). A copied file that differs
     * (someone edited the live release in place meanwhile) is sent again; a sent file that differs means
     * the deploy tree does not match its manifest.
     *
     * @param sent the paths of the files sent from this build
     * @param staging the listing of the staged release and the hashes of its sent files, made once the last
     *     file was in place
     * @return the listing of the staged release, for its quick-check record
     */
    private Map<String, FileStat> verify(
            NodeRun run,
            ReleaseSource source,
            Manifest target,
            String partial,
            Set<String> sent,
            Transport.Listing staging) {
        Transport t = run.transport;
        Transport.Listing listing = staging;
        Map<String, FileStat> staged = listing.stats();
        List<String> bad = mismatches(staged, listing.sums(), target, sent);
        if (bad.isEmpty()) {
            return staged;
        }
        Map<String, ManifestEntry> wanted = target.byPath();
        List<String> badSent = bad.stream()
                .filter(p -> sent.contains(p) || !wanted.containsKey(p))
                .toList();
        if (badSent.isEmpty()) {
            run.warn(bad.size() + " file(s) copied or kept on the node differ from the manifest; sending them: " + bad);
            for (String p : bad) {
                t.remove(Layout.join(partial, p));
                ReleaseCheck.upload(run, source, partial, wanted.get(p));
            }
            sent.addAll(bad);
            listing = t.listAndHash(partial, sent);
            staged = listing.stats();
            badSent = mismatches(staged, listing.sums(), target, sent);
        }
        if (!badSent.isEmpty()) {
            throw new DeployException("the staged release does not match the manifest for " + badSent + "; the deploy "
                    + "tree " + source.tree() + " changed after it was rendered: render the instance again");
        }
        return staged;
    }

    /**
     * The paths where a staged release differs from its manifest: a file missing, not a regular file, of
     * another size or mode, a sent file of other content, or an entry the manifest does not have.
     */
    private static List<String> mismatches(
            Map<String, FileStat> staged, Map<String, String> sums, Manifest wanted, Set<String> sent) {
        List<String> bad = new ArrayList<>();
        Set<String> dirs = wanted.directories();
        Set<String> files = new HashSet<>();
        for (ManifestEntry w : wanted.files()) {
            files.add(w.path());
            FileStat s = staged.get(w.path());
            if (s == null
                    || !s.isFile()
                    || s.size() != w.size()
                    || !s.mode().equals(w.mode())
                    || sent.contains(w.path()) && !w.sha256().equals(sums.get(w.path()))) {
                bad.add(w.path());
            }
        }
        for (Map.Entry<String, FileStat> e : staged.entrySet()) {
            String p = e.getKey();
            if (!files.contains(p)
                    && !(dirs.contains(p) && e.getValue().isDirectory())
                    && !p.equals(Layout.META_DIR)
                    && !p.startsWith(Layout.META_DIR + "/")) {
                bad.add(p);
            }
        }
        return bad;
    }

    private static void removeStalePartials(NodeRun run) {
        for (String name : run.transport.list(Layout.RELEASES)) {
            if (Layout.isPartial(name)) {
                run.warn("removing " + Layout.RELEASES + "/" + name + ", left by an interrupted deploy");
                run.transport.remove(Layout.RELEASES + "/" + name);
            }
        }
    }

    /**
     * Whether a switch to a new release waits for a confirmation, guarded by the node's watchdog: only
     * when postcmd or a health check runs after it and can fail it. Without either, the switch and the
     * deploy log's line end the deploy (only pruning follows), one command on a node that runs commands
     * and no watchdog.
     */
    private static boolean confirmed(DeploySpec spec) {
        return !spec.postcmd().isEmpty() || spec.guard().healthcheck().isPresent();
    }

    /**
     * Switches a node to a new release with nothing to confirm after it, and records it: one command on a
     * node that runs commands. A Ctrl-C meanwhile waits for both ({@link ShutdownGrace}), so that a release
     * that went live has its line. A switch that failed is logged as a failed deploy.
     */
    private static void switchAndRecord(NodeRun run, String id, String hash) {
        try (ShutdownGrace grace = ShutdownGrace.hold("facsimile-switch-" + run.node.name())) {
            boolean logged;
            try {
                logged = run.switchAndLog(id, DeployLogEntry.OK, hash, Strategy.RELEASES);
            } catch (RuntimeException e) {
                recordQuietly(run, id, hash, e);
                throw e;
            }
            if (!logged) {
                // locally the way the line is appended; over SSH, a log that is a link fails this naming it
                run.record(id, DeployLogEntry.OK, hash, Strategy.RELEASES);
            }
        }
    }

    /** After the switch: postcmd, then the health check; nothing once an interrupt has switched back. */
    private static Optional<String> afterSwitch(NodeRun run, String id, DeploySpec spec, Watchdog watchdog) {
        Optional<String> failure = watchdog.interrupted()
                ? Optional.of("interrupted")
                : run.postcmd(Layout.release(id), spec.postcmd(), spec.guard().postcmd());
        if (failure.isEmpty() && spec.guard().healthcheck().isPresent()) {
            failure = watchdog.interrupted()
                    ? Optional.of("interrupted")
                    : HealthProbe.check(
                            run, Layout.release(id), spec.guard().healthcheck().get());
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
    private static String switchBack(
            NodeRun run, Watchdog watchdog, String id, String hash, Optional<String> previous) {
        // the watchdog's own script switches back, logs and disarms in one command on the node: a switch back
        // that fails half-way leaves the watchdog armed, to switch back once the confirm time has passed
        String outcome = watchdog.interrupted() ? DeployLogEntry.INTERRUPTED : DeployLogEntry.FAILED;
        ExecResult fired = watchdog.switchBackNow(outcome, run.logLine(id, outcome, hash, Strategy.RELEASES));
        if (fired.said(GuardScripts.NOT_BACK)) {
            // the token is back, for the watchdog to try again
            String why = fired.output()
                    .lines()
                    .filter(line -> !line.equals(GuardScripts.FIRED) && !line.equals(GuardScripts.NOT_BACK))
                    .collect(java.util.stream.Collectors.joining(" "))
                    .strip();
            throw DeployException.broken(
                    "cannot switch current back on " + run.node.name() + (why.isEmpty() ? "" : ": " + why), null);
        }
        if (fired.said(GuardScripts.FIRED) && !fired.said(GuardScripts.BACK)) {
            return "current names " + run.currentRelease().orElse("no release") + ", no longer " + id
                    + ": left as it is";
        }
        if (fired.said(GuardScripts.BACK)) {
            if (!fired.said(GuardScripts.LOGGED)) {
                try {
                    run.record(id, outcome, hash, Strategy.RELEASES); // the log is a link or no file: fails naming it
                } catch (DeployException e) {
                    return restored(previous) + "; its line could not be added to the deploy log: " + e.getMessage();
                }
            }
            return restored(previous);
        }
        if (run.currentRelease().filter(id::equals).isEmpty()) {
            return (watchdog.interrupted() ? "" : "the node's watchdog ") + restored(previous);
        }
        restore(run, previous);
        run.record(id, outcome, hash, Strategy.RELEASES);
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
        Pruning pruning = pruning(run, keep, Optional.empty());
        if (!pruning.foreign().isEmpty() && pruning.recorded() > keep) {
            run.warn("not pruning " + pruning.foreign().size() + " entries of " + Layout.RELEASES
                    + "/ that no deploy recorded: " + pruning.foreign()
                    + "; remove them yourself if they are not needed");
        }
        for (String name : pruning.due()) {
            run.info("removing old release " + name);
            run.transport.remove(Layout.release(name));
        }
    }

    /**
     * What pruning would do.
     *
     * @param due the releases it removes, newest first
     * @param foreign the entries of {@code releases/} no deploy recorded, which it leaves
     * @param recorded how many releases the log names are in {@code releases/}
     */
    private record Pruning(List<String> due, List<String> foreign, int recorded) {}

    /**
     * The releases pruning removes now, or, with {@code incoming}, once that release is deployed as the
     * newest: every release the log names beyond the {@code keep} newest, except those it protects.
     */
    private static Pruning pruning(NodeRun run, int keep, Optional<String> incoming) {
        List<DeployLogEntry> log = run.readLog();
        Map<String, Integer> lastSeen = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            lastSeen.put(log.get(i).release(), i);
        }
        incoming.ifPresent(id -> lastSeen.put(id, log.size()));
        Set<String> protect = new HashSet<>();
        incoming.ifPresent(protect::add);
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
            } else if (!Layout.isPartial(n)) {
                foreign.add(n);
            }
        }
        incoming.filter(id -> !releases.contains(id)).ifPresent(releases::add);
        // Newest first: by last appearance in the log.
        releases.sort(Comparator.comparing((String n) -> lastSeen.get(n))
                .reversed()
                .thenComparing(Comparator.naturalOrder()));
        List<String> due = new ArrayList<>();
        for (int i = keep; i < releases.size(); i++) {
            if (!protect.contains(releases.get(i))) {
                due.add(releases.get(i));
            }
        }
        return new Pruning(due, foreign, releases.size());
    }
}

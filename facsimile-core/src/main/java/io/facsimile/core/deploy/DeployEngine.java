package io.facsimile.core.deploy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Deploys a rendered release to the nodes of a {@link DeploySpec}, and rolls back, diffs and checks
 * them for drift. One engine serves every transport: {@link io.facsimile.core.deploy.local.LocalTransport}
 * for a local deploy, SSH for remote nodes. Per node it plans ({@link DeployPlanner}), then carries
 * the plan out under the node's deploy lock.
 *
 * <p>Failures of one node do not stop the others of its wave: {@link #deploy} and {@link #rollback}
 * report them in the {@link DeployReport}. The spec's {@link FleetPolicy} decides whether later waves
 * start, and whether a deploy that stopped switches its nodes back. {@link #diff} and {@link #verify} change nothing and throw
 * the first failure.
 */
public final class DeployEngine {

    /** How long a deploy waits for another deploy to the same home by default. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);

    private final DeployListener listener;
    private final String who;
    private final Duration lockWait;
    private final Clock clock;

    /**
     * An engine.
     *
     * @param listener hears progress and the one line per node
     * @param who the user recorded in deploy logs and locks (normally {@code user.name})
     * @param lockWait how long to wait for another deploy's lock before failing
     * @param clock the time recorded in deploy logs
     */
    public DeployEngine(DeployListener listener, String who, Duration lockWait, Clock clock) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.who = Objects.requireNonNull(who, "who");
        this.lockWait = Objects.requireNonNull(lockWait, "lockWait");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An engine for the current user ({@code user.name}), the default lock wait and the system clock. */
    public static DeployEngine create(DeployListener listener) {
        return new DeployEngine(
                listener, System.getProperty("user.name", "unknown"), DEFAULT_LOCK_WAIT, Clock.systemUTC());
    }

    /**
     * Deploys a release to every selected node, in waves. A dry run plans each node, reports
     * {@link Outcome#PLANNED} with the plan, and changes nothing (it takes no lock). When the spec's
     * {@link FleetPolicy} stops the run and says {@code onFailure: revert}, every node this run switched
     * is switched back, in reverse order, and reported {@link Outcome#REVERTED}.
     *
     * @throws DeployException (a user error) when the spec or targets are wrong; node failures are
     *     reported, not thrown
     */
    public DeployReport deploy(DeployRequest request, TransportFactory transports) {
        DeploySpec spec = request.spec();
        ReleaseSource source = request.requireSource();
        Masker masker = new Masker(request.secrets());
        List<Node> nodes = spec.selectNodes(request.targets());
        ReleasesDeployer releases = new ReleasesDeployer();
        SyncDeployer sync = new SyncDeployer();
        boolean revert = spec.fleet().onFailure() == FleetPolicy.OnFailure.REVERT && !request.dryRun();
        // What each node had live before this run, read under its lock: where a revert goes back to.
        Map<Node, Optional<String>> before = new ConcurrentHashMap<>();
        Waves.Ran ran = new Waves(spec.parallel(), spec.serial(), spec.fleet())
                .run(
                        nodes,
                        node -> onNode(
                                node, transports, masker, request.dryRun() ? Locking.NONE : Locking.DEPLOY, run -> {
                                    if (revert) {
                                        // a switch no deploy confirmed is undone first (the deploy would do it
                                        // next): what is live after it is where a revert goes back to
                                        ReleasesDeployer.revertUnconfirmed(run, false);
                                        before.put(node, run.currentRelease());
                                    }
                                    return spec.strategy() == Strategy.RELEASES
                                            ? releases.deploy(run, source, spec, request.dryRun(), request.checksum())
                                            : sync.deploy(run, source, spec, request.dryRun());
                                }));
        List<NodeResult> results = ran.results();
        if (revert && ran.stopped().isPresent()) {
            results = revert(results, before, ran.stopped().get(), request, transports, masker);
        }
        return new DeployReport(results, request.dryRun());
    }

    /**
     * Switches back, one node at a time and in reverse order, every node this run switched to a new
     * release; each keeps its place in the report, now {@link Outcome#REVERTED} or, when the switch back
     * failed, {@link Outcome#FAILED} naming the release it is left on.
     */
    private List<NodeResult> revert(
            List<NodeResult> results,
            Map<Node, Optional<String>> before,
            String why,
            DeployRequest request,
            TransportFactory transports,
            Masker masker) {
        ReleasesDeployer releases = new ReleasesDeployer();
        List<NodeResult> out = new ArrayList<>(results);
        for (int i = results.size() - 1; i >= 0; i--) {
            NodeResult deployed = results.get(i);
            Optional<String> was = before.get(deployed.node());
            // A repair of the live release switched nothing: there is nothing to go back to.
            if (deployed.outcome() != Outcome.DEPLOYED || was == null || was.equals(Optional.of(deployed.release()))) {
                continue;
            }
            NodeResult back = onNode(
                    deployed.node(),
                    transports,
                    masker,
                    Locking.PLAIN,
                    run -> releases.revert(run, request, deployed.release(), was, why));
            out.set(
                    i,
                    back.outcome() != Outcome.FAILED
                            ? back
                            : new NodeResult(
                                    back.node(),
                                    Outcome.FAILED,
                                    deployed.release(),
                                    back.filesSent(),
                                    back.bytesSent(),
                                    back.seconds(),
                                    "deployed " + deployed.release() + ", but switching back failed: " + back.reason(),
                                    null,
                                    back.failure()));
        }
        return out;
    }

    /**
     * Switches {@code current} of every selected node back to its previous successful release (from
     * the node's deploy log) and runs postcmd there; a failing postcmd switches back. The target is
     * checked first: drift is repaired from content still on the node (the current release), and a
     * target that cannot be repaired is refused, listing the files, unless the request forces it. A
     * dry run prints from -> to and what differs, and changes nothing.
     *
     * @throws DeployException (a user error) for strategy {@code sync}, which keeps no releases
     */
    public DeployReport rollback(DeployRequest request, TransportFactory transports) {
        DeploySpec spec = request.spec();
        if (spec.strategy() != Strategy.RELEASES) {
            throw DeployException.refused(
                    "rollback needs deploy.strategy: releases; with sync no earlier release is kept");
        }
        Masker masker = new Masker(request.secrets());
        ReleasesDeployer releases = new ReleasesDeployer();
        Waves.Ran ran = new Waves(spec.parallel(), spec.serial(), spec.fleet())
                .run(
                        spec.selectNodes(request.targets()),
                        node -> onNode(
                                node,
                                transports,
                                masker,
                                request.dryRun() ? Locking.NONE : Locking.PLAIN,
                                run -> releases.rollback(run, request)));
        return new DeployReport(ran.results(), request.dryRun());
    }

    /** {@link #rollback(DeployRequest, TransportFactory)} of every target in {@code targets}, not a dry run. */
    public DeployReport rollback(
            DeploySpec spec, Set<String> targets, Set<String> secrets, TransportFactory transports) {
        return rollback(DeployRequest.onNodes(spec).withTargets(targets).withSecrets(secrets), transports);
    }

    /** What a deploy of the request would add, change and remove on each node, with unified diffs. */
    public List<NodeDiff> diff(DeployRequest request, TransportFactory transports) {
        Masker masker = new Masker(request.secrets());
        Inspector inspector = new Inspector();
        ReleaseSource source = request.requireSource();
        return new Waves(request.spec().parallel(), 0)
                .all(
                        request.spec().selectNodes(request.targets()),
                        node -> withTransport(
                                node, transports, masker, run -> inspector.diff(run, source, request.spec())));
    }

    /**
     * Each node's deploy log, oldest first, and its current release. Reads only, takes no lock: a line
     * torn by a deploy appending at that moment is skipped. A deploy log or {@code .facsimile} that is a
     * link is refused as a deploy refuses it; nothing is followed.
     */
    public List<NodeHistory> history(DeployRequest request, TransportFactory transports) {
        Masker masker = new Masker(request.secrets());
        DeploySpec spec = request.spec();
        return new Waves(spec.parallel(), 0)
                .all(
                        spec.selectNodes(request.targets()),
                        node -> withTransport(node, transports, masker, run -> {
                            run.checkLayout();
                            return new NodeHistory(
                                    node, run.transport.describeHome(), run.currentRelease(), run.readLog());
                        }));
    }

    /** Compares each node's live files with the manifest of its current release. */
    public List<NodeDrift> verify(DeployRequest request, TransportFactory transports) {
        Masker masker = new Masker(request.secrets());
        Inspector inspector = new Inspector();
        DeploySpec spec = request.spec();
        return new Waves(spec.parallel(), 0)
                .all(
                        spec.selectNodes(request.targets()),
                        node -> withTransport(node, transports, masker, run -> inspector.verify(run, spec)));
    }

    /** {@link #verify(DeployRequest, TransportFactory)} of every target in {@code targets}. */
    public List<NodeDrift> verify(DeploySpec spec, Set<String> targets, TransportFactory transports) {
        return verify(DeployRequest.onNodes(spec).withTargets(targets), transports);
    }

    /**
     * Does {@code work} while {@code held}, and lets go of it however the work ends: a planted link
     * found by the layout check must not leave the home locked. A failure to let go does not hide the
     * failure of the work.
     */
    private static NodeResult underLock(DeployLock held, NodeRun run, Function<NodeRun, NodeResult> work) {
        NodeResult result;
        try {
            run.checkLayout();
            result = work.apply(run);
        } catch (RuntimeException e) {
            try {
                held.close();
            } catch (RuntimeException release) {
                e.addSuppressed(release);
            }
            throw e;
        }
        held.close();
        return result;
    }

    /** Whether a node's work takes the deploy lock, and whether a deploy's: see {@link Transport#lockForDeploy}. */
    private enum Locking {
        NONE,
        PLAIN,
        DEPLOY
    }

    private NodeResult onNode(
            Node node,
            TransportFactory transports,
            Masker masker,
            Locking locking,
            Function<NodeRun, NodeResult> work) {
        long started = System.nanoTime();
        NodeRun run = null;
        NodeResult result;
        try (Transport t = transports.open(node)) {
            run = new NodeRun(node, t, listener, masker, who, clock);
            if (locking != Locking.NONE) {
                Consumer<String> waiting = holder -> listener.info(
                        node, "waiting for the deploy lock of " + t.describeHome() + ", held by " + holder);
                result = underLock(
                        locking == Locking.DEPLOY
                                ? t.lockForDeploy(who, lockWait, waiting)
                                : t.lock(who, lockWait, waiting),
                        run,
                        work);
            } else {
                result = work.apply(run);
            }
        } catch (RuntimeException e) {
            DeployException failure = e instanceof DeployException d
                    ? d
                    : DeployException.broken(
                            e.getMessage() == null ? e.getClass().getName() : e.getMessage(), e);
            // Keep what was sent before the failure: the table should show how far the node got.
            result = run != null
                    ? run.failed(failure)
                    : new NodeResult(
                            node,
                            Outcome.FAILED,
                            null,
                            0,
                            0,
                            (System.nanoTime() - started) / 1e9,
                            masker.mask(failure.getMessage()),
                            null,
                            failure);
        }
        listener.finished(result);
        return result;
    }

    private <T> T withTransport(Node node, TransportFactory transports, Masker masker, Function<NodeRun, T> work) {
        try (Transport t = transports.open(node)) {
            return work.apply(new NodeRun(node, t, listener, masker, who, clock));
        }
    }
}

package io.facsimile.core.deploy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Deploys a rendered release to the nodes of a {@link DeploySpec}, and rolls back, diffs and checks
 * them for drift. One engine serves every transport: {@link io.facsimile.core.deploy.local.LocalTransport}
 * for a local deploy, SSH for remote nodes. Per node it plans ({@link DeployPlanner}), then carries
 * the plan out under the node's deploy lock.
 *
 * <p>Failures of one node do not stop the others of its wave: {@link #deploy} and {@link #rollback}
 * report them in the {@link DeployReport}. {@link #diff} and {@link #verify} change nothing and throw
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
        return new DeployEngine(listener, System.getProperty("user.name", "unknown"), DEFAULT_LOCK_WAIT, Clock.systemUTC());
    }

    /**
     * Deploys a release to every selected node, in waves. A dry run plans each node, reports
     * {@link Outcome#PLANNED} with the plan, and changes nothing (it takes no lock).
     *
     * @throws DeployException (a user error) when the spec or targets are wrong; node failures are
     *     reported, not thrown
     */
    public DeployReport deploy(DeployRequest request, TransportFactory transports) {
        DeploySpec spec = request.spec();
        Masker masker = new Masker(request.secrets());
        List<Node> nodes = spec.selectNodes(request.targets());
        ReleasesDeployer releases = new ReleasesDeployer();
        SyncDeployer sync = new SyncDeployer();
        List<NodeResult> results = new Waves(spec.parallel(), spec.serial()).run(nodes, node ->
                onNode(node, transports, masker, !request.dryRun(), run -> spec.strategy() == Strategy.RELEASES
                        ? releases.deploy(run, request.source(), spec, request.dryRun())
                        : sync.deploy(run, request.source(), spec, request.dryRun())));
        return new DeployReport(results, request.dryRun());
    }

    /**
     * Switches {@code current} of every selected node back to its previous successful release (from
     * the node's deploy log) and runs postcmd there. A node without such a release fails with a
     * message that says so.
     *
     * @throws DeployException (a user error) for strategy {@code sync}, which keeps no releases
     */
    public DeployReport rollback(DeploySpec spec, Set<String> targets, Set<String> secrets, TransportFactory transports) {
        if (spec.strategy() != Strategy.RELEASES) {
            throw new DeployException("rollback needs deploy.strategy: releases; with sync no earlier release is kept");
        }
        Masker masker = new Masker(secrets);
        ReleasesDeployer releases = new ReleasesDeployer();
        List<NodeResult> results = new Waves(spec.parallel(), spec.serial()).run(spec.selectNodes(targets),
                node -> onNode(node, transports, masker, true, run -> releases.rollback(run, spec)));
        return new DeployReport(results, false);
    }

    /** What a deploy of the request would add, change and remove on each node, with unified diffs. */
    public List<NodeDiff> diff(DeployRequest request, TransportFactory transports) {
        Masker masker = new Masker(request.secrets());
        Inspector inspector = new Inspector();
        return new Waves(request.spec().parallel(), 0).all(request.spec().selectNodes(request.targets()),
                node -> withTransport(node, transports, masker, run -> inspector.diff(run, request.source(), request.spec())));
    }

    /** Compares each node's live files with the manifest of its current release. */
    public List<NodeDrift> verify(DeploySpec spec, Set<String> targets, TransportFactory transports) {
        Masker masker = new Masker(Set.of());
        Inspector inspector = new Inspector();
        return new Waves(spec.parallel(), 0).all(spec.selectNodes(targets),
                node -> withTransport(node, transports, masker, run -> inspector.verify(run, spec)));
    }

    private NodeResult onNode(Node node, TransportFactory transports, Masker masker, boolean lock,
            Function<NodeRun, NodeResult> work) {
        long started = System.nanoTime();
        NodeRun run = null;
        NodeResult result;
        try (Transport t = transports.open(node)) {
            run = new NodeRun(node, t, listener, masker, who, clock);
            if (lock) {
                DeployLock held = t.lock(who, lockWait);
                try {
                    result = work.apply(run);
                } finally {
                    held.close();
                }
            } else {
                result = work.apply(run);
            }
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            // Keep what was sent before the failure: the table should show how far the node got.
            result = run != null ? run.result(Outcome.FAILED, null, message, null)
                    : new NodeResult(node, Outcome.FAILED, null, 0, 0, (System.nanoTime() - started) / 1e9,
                            masker.mask(message), null);
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

package io.facsimile.core.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs work on nodes: {@code parallel} at once, in waves. With a {@link FleetPolicy#canary() canary}
 * the first wave holds that many nodes; the others follow in waves of {@code serial} nodes (0: one
 * wave of all the rest). A wave runs to its end, then the policy decides: after a canary wave with a
 * failure, or once more of the run's nodes failed than {@link FleetPolicy#maxFailPercentage()} allows,
 * later waves do not start; their nodes are reported as {@link Outcome#SKIPPED}. A single node runs
 * on the calling thread.
 */
final class Waves {

    private final int parallel;
    private final int serial;
    private final FleetPolicy policy;

    Waves(int parallel, int serial) {
        this(parallel, serial, FleetPolicy.DEFAULT);
    }

    Waves(int parallel, int serial, FleetPolicy policy) {
        this.parallel = parallel;
        this.serial = serial;
        this.policy = policy;
    }

    /**
     * What a run did: one result per node in node order, and why it stopped when the policy stopped it
     * (also when the failure came in the last wave and no wave was left to skip).
     */
    record Ran(List<NodeResult> results, Optional<String> stopped) {}

    Ran run(List<Node> nodes, Function<Node, NodeResult> work) {
        List<NodeResult> results = new ArrayList<>();
        String stop = null;
        int failed = 0;
        List<List<Node>> waves = waves(nodes);
        for (int i = 0; i < waves.size(); i++) {
            if (stop != null) {
                String why = "not started: " + stop;
                waves.get(i).forEach(n -> results.add(new NodeResult(n, Outcome.SKIPPED, null, 0, 0, 0, why, null)));
                continue;
            }
            List<NodeResult> done = all(waves.get(i), work);
            results.addAll(done);
            failed += (int) done.stream().filter(r -> !r.outcome().ok()).count();
            stop = policy.stopReason(i == 0 && policy.canary() > 0, failed, nodes.size());
        }
        return new Ran(results, Optional.ofNullable(stop));
    }

    /** The waves, in order: the canary wave first when there is one, then waves of {@code serial}. */
    List<List<Node>> waves(List<Node> nodes) {
        List<List<Node>> waves = new ArrayList<>();
        int from = 0;
        if (policy.canary() > 0 && !nodes.isEmpty()) {
            from = Math.min(policy.canary(), nodes.size());
            waves.add(nodes.subList(0, from));
        }
        int size = serial == 0 ? Math.max(1, nodes.size() - from) : serial;
        for (; from < nodes.size(); from += size) {
            waves.add(nodes.subList(from, Math.min(nodes.size(), from + size)));
        }
        return waves;
    }

    /** Applies {@code work} to every node, {@code parallel} at once, results in node order. */
    <T> List<T> all(List<Node> nodes, Function<Node, T> work) {
        if (nodes.size() <= 1 || parallel == 1) {
            return nodes.stream().map(work).toList();
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, nodes.size()), r -> {
            Thread t = new Thread(r, "facsimile-deploy-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures =
                    nodes.stream().map(n -> pool.submit(() -> work.apply(n))).toList();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeployException.broken("interrupted while deploying", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw DeployException.broken("a node operation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}

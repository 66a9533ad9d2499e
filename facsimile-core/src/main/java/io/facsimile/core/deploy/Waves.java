package io.facsimile.core.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs work on nodes: {@code parallel} at once, in waves of {@code serial} nodes (0: one wave of
 * all). After a wave in which a node failed, later waves do not start; their nodes are reported as
 * {@link Outcome#SKIPPED}. A single node runs on the calling thread.
 */
final class Waves {

    private final int parallel;
    private final int serial;

    Waves(int parallel, int serial) {
        this.parallel = parallel;
        this.serial = serial;
    }

    List<NodeResult> run(List<Node> nodes, Function<Node, NodeResult> work) {
        int size = serial == 0 ? Math.max(1, nodes.size()) : serial;
        List<NodeResult> results = new ArrayList<>();
        boolean failed = false;
        for (int from = 0; from < nodes.size(); from += size) {
            List<Node> wave = nodes.subList(from, Math.min(nodes.size(), from + size));
            if (failed) {
                wave.forEach(n -> results.add(new NodeResult(n, Outcome.SKIPPED, null, 0, 0, 0,
                        "not started: an earlier wave failed", null)));
                continue;
            }
            List<NodeResult> done = all(wave, work);
            results.addAll(done);
            failed = done.stream().anyMatch(r -> !r.outcome().ok());
        }
        return results;
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
            List<Future<T>> futures = nodes.stream().map(n -> pool.submit(() -> work.apply(n))).toList();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while deploying", e, false);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new DeployException("a node operation failed: " + e.getCause(), e.getCause(), false);
        } finally {
            pool.shutdownNow();
        }
    }
}

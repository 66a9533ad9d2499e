package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the same work for several instances, up to {@code threads} at a time. Instances share nothing
 * on disk but their state when they name the same one, which the state lock orders; rendering many
 * of them is mostly waiting for the disk to create files, which is what the threads overlap.
 *
 * <p>As Maven's fail-fast, by default: after a failure no instance starts any more; those already running
 * finish (with {@link FailurePolicy#FAIL_AT_END}, as {@code -fae}, all run and the failure comes at the end). The failure thrown is the one of the first instance in list order, with the others
 * suppressed, so the outcome does not depend on which thread was quicker.
 */
final class InstanceWorkers {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private InstanceWorkers() {}

    /**
     * {@code work} of each instance, in the order of {@code instances}.
     *
     * @param threads at most this many instances at once; 1 runs them one after another on the caller's thread
     */
    static <T> List<T> map(List<String> instances, int threads, Function<String, T> work) {
        return map(instances, threads, FailurePolicy.FAIL_FAST, work);
    }

    /**
     * {@code work} of each instance, in the order of {@code instances}; with {@link FailurePolicy#FAIL_AT_END}
     * every instance runs, and the failure thrown at the end names each one that failed, with its message.
     */
    static <T> List<T> map(List<String> instances, int threads, FailurePolicy policy, Function<String, T> work) {
        if (policy == FailurePolicy.FAIL_AT_END) {
            return atEnd(instances, threads, work);
        }
        int size = Math.min(threads, instances.size());
        if (size <= 1) {
            return instances.stream().map(work).toList();
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger number = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(size, task -> {
            Thread thread = new Thread(task, "facsimile-" + pool + "-instance-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (String instance : instances) {
                futures.add(executor.submit(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        return work.apply(instance);
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            Throwable failure = null;
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FacsimileException.broken("interrupted while waiting for the instances to finish", e);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Each instance's work, a failure held back as its outcome; then one failure naming all that failed. */
    private static <T> List<T> atEnd(List<String> instances, int threads, Function<String, T> work) {
        List<Outcome<T>> outcomes = map(instances, threads, FailurePolicy.FAIL_FAST, instance -> {
            try {
                return new Outcome<T>(instance, work.apply(instance), null);
            } catch (FacsimileException e) {
                return new Outcome<T>(instance, null, e);
            }
        });
        List<Outcome<T>> failed =
                outcomes.stream().filter(o -> o.failure() != null).toList();
        if (failed.isEmpty()) {
            return outcomes.stream().map(Outcome::result).toList();
        }
        StringBuilder message = new StringBuilder()
                .append(failed.size())
                .append(" of ")
                .append(instances.size())
                .append(" instances failed: ")
                .append(String.join(", ", failed.stream().map(Outcome::instance).toList()));
        failed.forEach(o -> message.append("\n").append(o.failure().getMessage()));
        boolean userErrors = failed.stream().allMatch(o -> o.failure().isUserError());
        FacsimileException end = userErrors
                ? FacsimileException.userError(message.toString())
                : FacsimileException.broken(
                        message.toString(),
                        failed.stream()
                                .map(Outcome::failure)
                                .filter(f -> !f.isUserError())
                                .findFirst()
                                .orElseThrow());
        failed.forEach(o -> end.addSuppressed(o.failure()));
        throw end;
    }

    private record Outcome<T>(String instance, T result, FacsimileException failure) {}
}

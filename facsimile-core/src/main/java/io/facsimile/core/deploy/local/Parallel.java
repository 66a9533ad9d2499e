package io.facsimile.core.deploy.local;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * Runs one action per item on a small pool of its own (not the common pool, which the build may be
 * using): file copies spend most of their time in system calls, so a few threads overlap them.
 */
final class Parallel {

    /** Threads per bulk operation: enough to overlap system calls, few enough for a busy build machine. */
    static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Below this many items one thread is faster than starting a pool. */
    private static final int SERIAL_BELOW = 64;

    private Parallel() {}

    /** Calls {@code action} for each item; the first exception (unchecked) is rethrown, the rest are stopped. */
    static <T> void forEach(List<T> items, Consumer<T> action) {
        forEach(items, items.size(), action);
    }

    /**
     * As {@link #forEach(List, Consumer)}, for {@code items} that are chunks of {@code work} smaller items:
     * on one thread only below {@value #SERIAL_BELOW} of those.
     */
    static <T> void forEach(List<T> items, int work, Consumer<T> action) {
        if (work < SERIAL_BELOW || items.size() < 2) {
            items.forEach(action);
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(THREADS);
        try {
            pool.submit(() -> items.parallelStream().forEach(action)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}

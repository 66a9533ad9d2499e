package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the JVM's shutdown (Ctrl-C, SIGTERM) while a short step that must not be cut in two runs, such
 * as the switch of {@code current} and its deploy log line: a shutdown hook waits until the step is
 * closed, at most {@link #LIMIT}. {@code kill -9} is not held by anything.
 */
final class ShutdownGrace implements AutoCloseable {

    /** The longest a shutdown waits for the step. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownGrace(String name) {
        this.hook = new Thread(this::await, name);
    }

    /** Holds a shutdown from now until {@link #close}. */
    static ShutdownGrace hold(String name) {
        ShutdownGrace grace = new ShutdownGrace(name);
        Runtime.getRuntime().addShutdownHook(grace.hook);
        return grace;
    }

    /** The hook a shutdown runs; for tests. */
    Thread hook() {
        return hook;
    }

    private void await() {
        try {
            done.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The step is over: a shutdown need not wait for it any more. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs, and finds the step over.
        }
    }
}

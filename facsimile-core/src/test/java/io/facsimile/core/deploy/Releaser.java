package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deploy lock held until a waiting deploy has been told who holds it, then let go: for tests of the
 * wait ({@link Transport#lock(String, java.time.Duration, java.util.function.Consumer)}).
 */
public final class Releaser {

    private final List<String> told = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private Releaser(DeployLock held) {
        thread = new Thread(
                () -> {
                    try {
                        while (told.isEmpty()) {
                            Thread.sleep(20);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    held.close();
                },
                "releaser");
        thread.start();
    }

    /** Takes the lock of {@code transport} as {@code holder} at once, and lets go once {@link #told()} has a line. */
    public static Releaser holding(Transport transport, String holder) {
        return new Releaser(transport.lock(holder, Duration.ZERO));
    }

    /** What the waiting deploy was told: give it {@code told()::add} as its {@code waiting}. */
    public List<String> told() {
        return told;
    }

    /** Waits until the lock has been let go. */
    public void join() throws InterruptedException {
        thread.join();
    }
}

package io.facsimile.core.deploy;

import java.util.List;

/**
 * Lets go of a held deploy lock as soon as a waiting deploy has been told who holds it: for tests of
 * the wait ({@link Transport#lock(String, java.time.Duration, java.util.function.Consumer)}).
 */
public final class Releaser {

    private Releaser() {}

    /** Starts a thread that closes {@code held} once {@code told} is no longer empty. */
    public static Thread onceTold(DeployLock held, List<String> told) {
        Thread releaser = new Thread(
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
        releaser.start();
        return releaser;
    }
}

package io.facsimile.core.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.lock.JvmLocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy lock where util-linux flock is missing (macOS, Windows): this JVM's queue, then a FileChannel lock. */
class LocalLockTest {

    @TempDir
    Path home;

    @Test
    @SuppressWarnings("try")
    void anotherThreadWaitsAndIsRefusedNamingTheHolderThenGetsItOnceReleased() throws Exception {
        Path file = home.resolve(".facsimile-deploy.lock");
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (DeployLock held = LocalLock.fileChannel(file, "alice (pid 1)", Duration.ZERO)) {
            Thread waiter = new Thread(() -> {
                try (DeployLock never = LocalLock.fileChannel(file, "bob (pid 2)", Duration.ofMillis(100))) {
                    refused.set(new AssertionError("bob got the lock alice holds"));
                } catch (RuntimeException e) {
                    refused.set(e);
                }
            });
            waiter.start();
            waiter.join();
            assertThat(file).content().startsWith("alice (pid 1)");
        }
        assertThat(refused.get())
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("is locked by alice (pid 1)")
                .matches(e -> ((DeployException) e).isUserError());
        try (DeployLock again = LocalLock.fileChannel(file, "bob (pid 2)", Duration.ZERO)) {
            assertThat(file).content().startsWith("bob (pid 2)");
        }
        assertThat(JvmLocks.SHARED.holder(file.toAbsolutePath().normalize()))
                .as("nothing left held")
                .isNull();
    }

    @Test
    @SuppressWarnings("try")
    void theSameThreadTakingItTwiceIsRefusedAtOnceInsteadOfWaitingForItself() {
        Path file = home.resolve(".facsimile-deploy.lock");
        try (DeployLock held = LocalLock.fileChannel(file, "alice (pid 1)", Duration.ZERO)) {
            assertThatThrownBy(() -> LocalLock.fileChannel(file, "alice (pid 1)", Duration.ofMinutes(5)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("is locked by alice (pid 1)");
        }
    }
}

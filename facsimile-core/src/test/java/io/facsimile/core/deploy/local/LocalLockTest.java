package io.facsimile.core.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.lock.JvmLocks;
import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.NameSwapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy lock where util-linux flock is missing (macOS, Windows): this JVM's queue, then a FileChannel lock;
 * and the bound on the flock program where it is there.
 */
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
    void aHomeNotMadeYetIsMadeAsTheFlockProgramMakesIt() {
        // a first deploy without util-linux flock: the home does not exist yet
        Path file = home.resolve("srv/shop/.facsimile-deploy.lock");
        try (DeployLock held = LocalLock.fileChannel(file, "alice (pid 1)", Duration.ZERO)) {
            assertThat(file).content().startsWith("alice (pid 1)");
        }
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

    @Test
    @Case("deploy.confined-lock")
    void aLockFileSwappedForAFifoAsTheProgramOpensItIsStoppedAtTheBoundNotWaitedForForever() throws Exception {
        assumeTrue(LocalLock.usesFlock(), "util-linux flock on the PATH");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "mkfifo");
        Path lock = home.resolve(".facsimile-deploy.lock");
        Path fifo = home.resolve("spare.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Path file = Files.createFile(home.resolve("spare.file"));
        int stopped = 0;
        long slowest = 0;
        // a user who may rename entries in the home flips the lock file between a file and a FIFO, whose
        // read-only open waits for a writer that never comes; each a new name of the spare one (link(2)): fast
        try (NameSwapper swapper = NameSwapper.start(
                lock,
                home.resolve("swap.next"),
                spare -> Files.createLink(spare, fifo),
                spare -> Files.createLink(spare, file))) {
            // the old program, without the bound, hung in the first run that opened the FIFO: bounded here.
            // How many runs land in the window between the program's checks and its open is luck (about one in
            // five here, fewer on a busy 2-core machine): tried until one does, for a minute at most
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; i < 1_000 && stopped < 1 && System.nanoTime() < until; i++) {
                long start = System.nanoTime();
                try {
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(20),
                            () -> LocalLock.acquire(home, "test", Duration.ZERO, Duration.ofSeconds(2), holder -> {})
                                    .close());
                } catch (DeployException e) {
                    if (e.getMessage().contains("did not answer within 2 s")) {
                        assertThat(e.getMessage()).contains(lock + " a FIFO?").contains("Remove it and run again");
                        stopped++;
                    } else {
                        // the FIFO, or the file with its second name, seen by the program's checks
                        assertThat(e.getMessage()).contains("is a link or not a regular file");
                    }
                }
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
        }
        assertThat(stopped)
                .as("runs that opened the FIFO and were stopped at the bound")
                .isPositive();
        assertThat(Duration.ofNanos(slowest)).as("the slowest run").isLessThan(Duration.ofSeconds(10));
    }
}

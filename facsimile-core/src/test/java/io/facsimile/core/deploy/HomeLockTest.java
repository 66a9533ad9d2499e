package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock program both transports run ({@link HomeLock#command}), run by {@code sh} on this machine. */
class HomeLockTest {

    @TempDir
    Path dir;

    /** Runs the lock program on {@code home} until it answers, then lets the lock go; its first line. */
    private String lockOnce(Path home) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "sh", "-c", HomeLock.command(Shell.quote(home.toString()), Shell.quote("test"), Duration.ZERO))
                .redirectErrorStream(true)
                .start();
        try (InputStream out = new BufferedInputStream(p.getInputStream())) {
            StringBuilder line = new StringBuilder();
            for (int c = out.read(); c >= 0 && c != '\n'; c = out.read()) {
                line.append((char) c);
            }
            p.getOutputStream().close();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return line.toString();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Case("deploy.confined-lock")
    void aLockFileSwappedForALinkWhileTheProgramOpensItNeverCreatesOrWritesTheTarget() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path target = outside.resolve("nologin");
        Path lock = home.resolve(".facsimile-deploy.lock");
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong swaps = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> swapFailed =
                new java.util.concurrent.atomic.AtomicReference<>();
        // a user who may rename entries in the home flips the lock file between a file and a link outside
        Thread swapper = new Thread(() -> {
            Path link = home.resolve("swap.link");
            Path file = home.resolve("swap.file");
            try {
                while (!stop.get()) {
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, target);
                    Files.move(link, lock, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.deleteIfExists(file);
                    Files.createFile(file);
                    Files.move(file, lock, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    swaps.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                swapFailed.set(e);
            }
        });
        swapper.start();
        int created = 0;
        try {
            for (int i = 0; i < 400; i++) {
                lockOnce(home);
                if (Files.exists(target)) {
                    created++;
                    Files.delete(target);
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(swapFailed.get()).as("the swapping thread kept swapping").isNull();
        assertThat(created)
                .as("runs that created the link's target outside the home")
                .isZero();
        // the race was run: the lock file flipped many times while the program ran; and with it left a
        // regular file, the same program locks it
        assertThat(swaps.get()).as("swaps while the program ran").isGreaterThan(400);
        try (Stream<Path> left = Files.list(home)) {
            left.filter(p -> !p.equals(lock)).forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(lock);
        Files.createFile(lock);
        assertThat(lockOnce(home)).isEqualTo("LOCKED");
    }

    @Test
    @Case("deploy.confined-lock")
    void aLockFileThatIsAHardLinkToAFileElsewhereIsRefusedAndTheFileKeepsItsContent() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path outside = Files.writeString(dir.resolve("authorized_keys"), "ssh-ed25519 AAAA key\n");
        Files.createLink(home.resolve(".facsimile-deploy.lock"), outside);

        assertThat(lockOnce(home)).isEqualTo("REFUSED");
        assertThat(outside).hasContent("ssh-ed25519 AAAA key");
    }

    @Test
    void theLockFileIsMadeOnceWithNothingLeftBesideIt() throws Exception {
        Path home = dir.resolve("home");

        assertThat(lockOnce(home)).isEqualTo("LOCKED");
        assertThat(lockOnce(home)).isEqualTo("LOCKED");

        try (var entries = Files.list(home)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(".facsimile-deploy.lock");
        }
        assertThat(Files.readString(home.resolve(".facsimile-deploy.lock"))).isEqualTo("test\n");
    }
}

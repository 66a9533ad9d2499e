package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.NameSwapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
        int created = 0;
        long swaps;
        // a user who may rename entries in the home flips the lock file between a file and a link outside
        try (NameSwapper swapper = NameSwapper.start(
                lock, home.resolve("swap.next"), spare -> Files.createSymbolicLink(spare, target), Files::createFile)) {
            for (int i = 0; i < 400; i++) {
                lockOnce(home);
                if (Files.exists(target)) {
                    created++;
                    Files.delete(target);
                }
            }
            swaps = swapper.swaps();
        }
        assertThat(created)
                .as("runs that created the link's target outside the home")
                .isZero();
        // the race was run: the lock file flipped many times while the program ran; and with it left a
        // regular file, the same program locks it
        assertThat(swaps).as("swaps while the program ran").isGreaterThan(400);
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

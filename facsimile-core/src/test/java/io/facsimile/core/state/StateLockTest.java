package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent runs on one state serialise: threads of one JVM and separate processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StateLockTest {

    @TempDir
    Path root;

    @Test
    void threadsOpeningOneStateSerialiseAndGenerateOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Secret>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // A store per thread, as separate mojo executions of a -T build would have.
                StateStore store = new StateStore(root.resolve("state"));
                results.add(pool.submit(() -> {
                    start.await();
                    try (StateSession state = store.open("prod")) {
                        Secret secret = state.password("proj0", SecretPolicy.defaults());
                        state.serviceInstance("apid.0", "api");
                        state.commit();
                        return secret;
                    }
                }));
            }
            start.countDown();
            Secret first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<Secret> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        try (StateSession state = new StateStore(root.resolve("state")).open("prod")) {
            assertThat(state.passwords()).containsOnlyKeys("proj0");
            assertThat(state.serviceInstances()).containsOnlyKeys("apid.0");
        }
        assertThat(io.facsimile.core.lock.JvmLocks.SHARED.size()).isZero();
    }

    @Test
    void secondThreadWaitsForTheFirstAndSeesItsSecret() throws Exception {
        StateStore store = new StateStore(root.resolve("state"));
        Secret generated;
        CompletableFuture<Secret> second;
        try (StateSession first = store.open("prod")) {
            generated = first.password("proj0", SecretPolicy.defaults());
            second = CompletableFuture.supplyAsync(() -> {
                try (StateSession state = store.open("prod")) {
                    return state.password("proj0", SecretPolicy.defaults());
                }
            });
            Thread.sleep(300);
            assertThat(second).as("second session must wait for the lock").isNotDone();
            first.commit();
        }
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(generated);
    }

    @Test
    void sessionMayBeClosedByAnotherThread() throws Exception {
        StateStore store = new StateStore(root.resolve("state"), Duration.ofSeconds(5));
        StateSession session = store.open("prod");
        CompletableFuture.runAsync(session::close).get(5, TimeUnit.SECONDS);
        try (StateSession again = store.open("prod")) {
            assertThat(again.passwords()).isEmpty();
        }
    }

    @Test
    void waitingInTheJvmTimesOutNamingTheLockFile() throws Exception {
        StateStore store = new StateStore(root.resolve("state"), Duration.ofMillis(200));
        try (StateSession held = store.open("prod")) {
            CompletableFuture<StateSession> other = CompletableFuture.supplyAsync(() -> store.open("prod"));
            assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining(held.file().resolveSibling(".lock").toString())
                    .hasMessageContaining("another thread of this build");
        }
    }

    @Test
    void childProcessHoldsTheLockWhileTheParentWaits() throws Exception {
        Path stateDirectory = root.resolve("state");
        Path marker = root.resolve("locked");
        Path release = root.resolve("release");
        Process child = startChild(stateDirectory, marker, release);
        try {
            awaitFile(marker, child);

            assertThatThrownBy(() -> new StateStore(stateDirectory, Duration.ofMillis(300)).open("prod"))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining(stateDirectory
                            .resolve("prod")
                            .toRealPath()
                            .resolve(".lock")
                            .toString())
                    .hasMessageContaining("another process")
                    .matches(e -> !((StateException) e).isUserError());

            CompletableFuture<Secret> parent = CompletableFuture.supplyAsync(() -> {
                try (StateSession state = new StateStore(stateDirectory, Duration.ofSeconds(30)).open("prod")) {
                    return state.passwords().get("child");
                }
            });
            Thread.sleep(300);
            assertThat(parent)
                    .as("parent must wait while the child holds the lock")
                    .isNotDone();

            Files.writeString(release, "go", StandardCharsets.UTF_8);
            Secret fromChild = parent.get(30, TimeUnit.SECONDS);
            assertThat(fromChild).isNotNull();
            assertThat(fromChild.reveal()).matches("[A-Za-z0-9]{32}");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output(child)).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void filesAreOwnerOnlyEvenUnderUmask000() throws Exception {
        Path shell = Path.of("/bin/sh");
        assumeThat(Permissions.posix(root) && Files.isExecutable(shell))
                .as("POSIX system with /bin/sh")
                .isTrue();
        Path stateDirectory = root.resolve("state");
        Path marker = root.resolve("locked");
        Path release = root.resolve("release");
        Files.writeString(release, "go at once", StandardCharsets.UTF_8);
        List<String> java = javaCommand(stateDirectory, marker, release);
        // exec "$@" keeps the arguments intact; the umask applies to the JVM that creates the files.
        List<String> command = new ArrayList<>(List.of(shell.toString(), "-c", "umask 000 && exec \"$@\"", "sh"));
        command.addAll(java);
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("child.log").toFile())
                .start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output(child)).isZero();

        Path dir = stateDirectory.resolve("prod");
        assertThat(mode(stateDirectory)).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("state.json"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve(".lock"))).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private Process startChild(Path stateDirectory, Path marker, Path release) throws Exception {
        return new ProcessBuilder(javaCommand(stateDirectory, marker, release))
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("child.log").toFile())
                .start();
    }

    private static List<String> javaCommand(Path stateDirectory, Path marker, Path release) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolderMain.class.getName(),
                stateDirectory.toString(),
                "prod",
                marker.toString(),
                release.toString());
    }

    private void awaitFile(Path file, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file)) {
            if (!child.isAlive()) {
                throw new AssertionError("child exited with " + child.exitValue() + ": " + output(child));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child did not take the lock in 30 s: " + output(child));
            }
            Thread.sleep(20);
        }
    }

    private String output(Process child) {
        try {
            File log = root.resolve("child.log").toFile();
            return log.exists() ? Files.readString(log.toPath(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The names of the shared lock files in {@code locks}. */
    private static List<String> lockFiles(Path locks) throws IOException {
        try (var files = Files.list(locks)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @SuppressWarnings("try")
    @io.facsimile.core.reliability.Case("state.changed-under-the-session")
    void theSharedLockOfAStateIsTheSameBeforeAndAfterItsDirectoryIsMadeAndThroughALink() throws Exception {
        Path real = Files.createDirectories(root.resolve("real"));
        Path link = Files.createSymbolicLink(root.resolve("link"), real);
        Path locks = root.resolve("locks");
        Path local = Files.createDirectories(root.resolve("local"));
        // the first encrypted state is not written yet: its directory does not exist
        try (StateLock lock = StateLock.acquire(local, "prod", Duration.ZERO)
                .withShared(link.resolve("defs/state/prod.json"), locks, "prod", Duration.ZERO)) {
            assertThat(lockFiles(locks)).hasSize(1);
        }
        List<String> before = lockFiles(locks);
        Files.createDirectories(real.resolve("defs/state"));
        try (StateLock lock = StateLock.acquire(local, "prod", Duration.ZERO)
                .withShared(link.resolve("defs/state/prod.json"), locks, "prod", Duration.ZERO)) {
            assertThat(lockFiles(locks)).isEqualTo(before);
        }
        try (StateLock lock = StateLock.acquire(local, "prod", Duration.ZERO)
                .withShared(real.resolve("defs/state/prod.json"), locks, "prod", Duration.ZERO)) {
            assertThat(lockFiles(locks)).as("the real spelling").isEqualTo(before);
        }
    }

    @Test
    @SuppressWarnings("try")
    @io.facsimile.core.reliability.Case("state.changed-under-the-session")
    void aHomeWhereTheSharedLockCannotBeMadeLeavesTheLocalLockAlone() throws Exception {
        // a CI user's home that does not exist and cannot be made: here, a file in the way
        Path file = Files.writeString(root.resolve("home"), "");
        Path local = Files.createDirectories(root.resolve("local"));
        try (StateLock lock = StateLock.acquire(local, "prod", Duration.ZERO)
                .withShared(
                        root.resolve("defs/state/prod.json"),
                        file.resolve(".facsimile/locks"),
                        "prod",
                        Duration.ZERO)) {
            assertThatThrownBy(() -> StateLock.acquire(local, "prod", Duration.ZERO))
                    .as("the local lock is held")
                    .isInstanceOf(StateException.class);
        }
        assertThat(file).isRegularFile();
    }
}

package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.HoldFileLock;
import io.facsimile.core.testing.NoArtifacts;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two builds rendering one instance at once: the second waits for the first's lock of the release dir,
 * saying whom it waits for, and renders after it; or gives up after its wait, naming the holder.
 */
class ReleaseDirLockTest {

    private static final String HOLDER = "pid 4242 of ci since 10:00:00";

    @TempDir
    Path basedir;

    /** Waits (at most 30 s) until the goal says it waits for the lock. */
    private static void awaitWaiting(RecordingReporter reporter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reporter.info.stream().noneMatch(line -> line.contains("waiting for the lock"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    @Case("input.concurrent-renders")
    void aRenderWaitsForAnotherBuildRenderingTheSameInstanceAndRendersAfterIt() throws Exception {
        ShopProject.write(basedir, "app: {port: 8080}");
        Path releaseDir = basedir.resolve("target/facsimile/dev");
        Process other = HoldFileLock.start(ReleaseDirLock.file(releaseDir), HOLDER);
        AtomicBoolean released = new AtomicBoolean();
        RecordingReporter reporter = new RecordingReporter();
        try {
            CompletableFuture<Path> render = CompletableFuture.supplyAsync(() -> {
                Path rendered = io.facsimile.core.testing.ShopProject.facade(basedir, reporter)
                        .render(List.of("dev"), NoArtifacts.NO_ARTIFACTS)
                        .get(0);
                assertThat(released)
                        .as("rendered only after the other build let go")
                        .isTrue();
                return rendered;
            });
            awaitWaiting(reporter);
            assertThat(reporter.info)
                    .anyMatch(line ->
                            line.startsWith("dev: waiting for the lock .dev.lock of dev") && line.contains(HOLDER));
            assertThat(releaseDir.resolve("_DEPLOY_/etc/app.conf")).doesNotExist();
            released.set(true);
            other.getOutputStream().close();

            assertThat(render.get(60, TimeUnit.SECONDS)).isEqualTo(releaseDir);
        } finally {
            other.destroyForcibly();
        }
        assertThat(Files.readString(releaseDir.resolve("_DEPLOY_/etc/app.conf")))
                .startsWith("name=dev");
        assertThat(Files.readString(ReleaseDirLock.file(releaseDir)))
                .contains("pid " + ProcessHandle.current().pid());
    }

    @Test
    @Case("input.concurrent-renders")
    void aLockHeldPastTheWaitFailsNamingItsHolderAndLeavesItsFile() throws Exception {
        Path releaseDir = basedir.resolve("target/facsimile/dev");
        Process other = HoldFileLock.start(ReleaseDirLock.file(releaseDir), HOLDER);
        List<String> waiting = new CopyOnWriteArrayList<>();
        try {
            assertThatThrownBy(() -> ReleaseDirLock.take(releaseDir, Duration.ofMillis(300), waiting::add))
                    .isInstanceOf(FacsimileException.class)
                    .hasMessageContaining(
                            "Another build is rendering dev (" + HOLDER + ") and did not finish within 300 ms")
                    .hasMessageContaining("need not be deleted")
                    .satisfies(e ->
                            assertThat(((FacsimileException) e).isUserError()).isTrue());
            assertThat(waiting).hasSize(1);
        } finally {
            other.getOutputStream().close();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        // let go by its holder, it is taken at once
        try (ReleaseDirLock lock = ReleaseDirLock.take(releaseDir, Duration.ofMillis(300), waiting::add)) {
            assertThat(waiting).hasSize(1);
        }
    }

    @Test
    @Case("input.concurrent-renders")
    void packageHoldsTheLockThroughTheSealedCopyAndTheArchiveOfAnUpToDateInstance() throws Exception {
        ShopProject.write(basedir, "app: {port: 8080}");
        Path releaseDir = basedir.resolve("target/facsimile/dev");
        RecordingReporter reporter = new RecordingReporter();
        io.facsimile.core.testing.ShopProject.facade(basedir, reporter)
                .render(List.of("dev"), NoArtifacts.NO_ARTIFACTS);
        Process other = HoldFileLock.start(ReleaseDirLock.file(releaseDir), HOLDER);
        AtomicBoolean released = new AtomicBoolean();
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        try {
            CompletableFuture<Path> bundle = CompletableFuture.supplyAsync(() -> {
                Path archive = io.facsimile.core.testing.ShopProject.facade(basedir, reporter)
                        .bundle("dev", request, NoArtifacts.NO_ARTIFACTS);
                assertThat(released)
                        .as("packaged only after the other build let go")
                        .isTrue();
                return archive;
            });
            awaitWaiting(reporter);
            assertThat(reporter.info).anyMatch(line -> line.startsWith("dev: waiting for the lock .dev.lock"));
            assertThat(basedir.resolve("target/facsimile/.sealed/dev")).doesNotExist();
            released.set(true);
            other.getOutputStream().close();

            assertThat(bundle.get(60, TimeUnit.SECONDS)).exists();
        } finally {
            other.destroyForcibly();
        }
        assertThat(basedir.resolve("target/facsimile/.sealed/dev")).isDirectory();
    }
}

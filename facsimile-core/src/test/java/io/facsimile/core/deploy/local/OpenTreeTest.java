package io.facsimile.core.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.release.ManifestEntry;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operations below the home go through open directories: a link on the way never leads outside it. */
class OpenTreeTest {

    @TempDir
    Path home;

    /** A directory outside the home, where a planted link leads. */
    @TempDir
    Path outside;

    @BeforeEach
    void somethingOutside() throws IOException {
        Files.writeString(outside.resolve("log"), "outside\n");
    }

    @Test
    @Case("deploy.local-swap-races")
    void aDirectoryOnTheWayThatIsALinkIsNeverOpenedAndNothingOutsideIsTouched() throws IOException {
        Files.createSymbolicLink(home.resolve(".facsimile"), outside);
        try (OpenTree tree = OpenTree.home(home, false)) {
            for (boolean create : List.of(false, true)) {
                assertThatThrownBy(() -> tree.dir(".facsimile", create).close())
                        .isInstanceOf(FileSystemException.class)
                        .hasMessageContaining("is a symbolic link");
                assertThatThrownBy(() -> tree.dir(".facsimile/below", create).close())
                        .isInstanceOf(FileSystemException.class)
                        .hasMessageContaining("is a symbolic link");
            }
        }
        assertThatThrownBy(() -> OpenTree.open(home, Path.of(".facsimile/x"), true))
                .isInstanceOf(FileSystemException.class);
        try (Stream<Path> listed = Files.list(outside)) {
            assertThat(listed).containsExactly(outside.resolve("log"));
        }
        assertThat(outside.resolve("log")).hasContent("outside");
    }

    @Test
    @Case("deploy.local-swap-races")
    void aDirectorySwappedForALinkOnceOpenedIsStillTheOneWrittenNotTheLinksTarget() throws IOException {
        Path meta = Files.createDirectories(home.resolve(".facsimile"));
        try (OpenTree tree = OpenTree.home(home, false);
                OpenTree.Dir dir = tree.dir(".facsimile", false)) {
            Files.move(meta, home.resolve("moved-away"));
            Files.createSymbolicLink(meta, outside);
            try (SeekableByteChannel out = dir.append("log")) {
                out.write(ByteBuffer.wrap("line\n".getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(outside.resolve("log")).hasContent("outside");
        assertThat(home.resolve("moved-away/log")).hasContent("line");
    }

    @Test
    @Case("deploy.local-swap-races")
    void aFifoWhereADirectoryShouldBeFailsAtOnceInsteadOfBlockingTheOpen() throws Exception {
        mkfifo(home.resolve(".facsimile"));
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (OpenTree tree = OpenTree.home(home, false)) {
                assertThatThrownBy(() -> tree.dir(".facsimile", true).close())
                        .isInstanceOf(NotDirectoryException.class);
            }
            assertThatThrownBy(() -> t.appendFile(".facsimile/deploy-log.jsonl", new byte[] {'x'}))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("is not a directory")
                    .satisfies(
                            e -> assertThat(((DeployException) e).isUserError()).isTrue());
            assertThat(t.sha256(".facsimile", List.of("a"))).isEmpty();
        });
    }

    @Test
    void aFileIsCreatedWithExactlyItsPermissionsThoughTheUmaskNarrowsThem() throws IOException {
        Set<PosixFilePermission> groupWritable = PosixFilePermissions.fromString("rw-rw-r--");
        try (OpenTree tree = OpenTree.open(home, Path.of("r"), true);
                OpenTree.Dir dir = tree.dir("a/b", true)) {
            dir.create("f", groupWritable).close();
        }
        assertThat(Files.getPosixFilePermissions(home.resolve("r/a/b/f"))).isEqualTo(groupWritable);
    }

    @Test
    void anUploadHoldsAFewDirectoriesOpenAtATimeHoweverManyItWritesInto(@TempDir Path tree) throws IOException {
        List<ManifestEntry> files = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String path = "d" + i + "/f";
            Files.createDirectories(tree.resolve("d" + i));
            Files.writeString(tree.resolve(path), "x");
            files.add(new ManifestEntry(path, 1, "0644", "0".repeat(64), false));
        }
        AtomicLong most = new AtomicLong();
        new LocalTransport(Node.LOCAL, home)
                .uploadAll("r", tree, files, bytes -> most.accumulateAndGet(openFiles(), Math::max));
        assertThat(home.resolve("r/d1999/f")).hasContent("x");
        // the first version held every directory it reached open: some 4,000 descriptors here
        assertThat(most.get()).as("open file descriptors").isLessThan(openFiles() + 200);
    }

    @Test
    @Case("deploy.local-swap-races")
    void aFifoInTheWayOfARemovalOrWhereTheLogIsAppendedFailsAtOnce() throws Exception {
        Files.createDirectories(home.resolve(".facsimile"));
        mkfifo(home.resolve("releases"));
        mkfifo(home.resolve(".facsimile/deploy-log.jsonl"));
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> TreeRemoval.remove(home, Path.of("releases/old")))
                    .isInstanceOf(NotDirectoryException.class);
            assertThatThrownBy(() -> t.appendFile(".facsimile/deploy-log.jsonl", new byte[] {'x'}))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("is not a regular file")
                    .satisfies(
                            e -> assertThat(((DeployException) e).isUserError()).isTrue());
        });
    }

    @Test
    void aRemovalHoldsAFewDirectoriesOpenAtATimeHoweverWideTheTree() throws Exception {
        for (int i = 0; i < 3_000; i++) {
            Files.writeString(Files.createDirectories(home.resolve("big/d" + i)).resolve("f"), "x");
        }
        long idle = openFiles();
        AtomicLong most = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                most.accumulateAndGet(openFiles(), Math::max);
            }
        });
        sampler.start();
        try {
            new LocalTransport(Node.LOCAL, home).remove("big");
        } finally {
            done.set(true);
            sampler.join();
        }
        assertThat(home.resolve("big")).doesNotExist();
        // the version before opened every subdirectory of a directory at once: some 3,000 descriptors here
        assertThat(most.get()).as("open file descriptors").isLessThan(idle + 200);
    }

    private static void mkfifo(Path fifo) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .as("mkfifo %s", fifo)
                .isZero();
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.facsimile.core.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operations below the home go through open directories: a link on the way never leads outside it. */
class OpenTreeTest {

    @TempDir
    Path home;

    Path outside;

    @BeforeEach
    void outside() throws IOException {
        outside = Files.createTempDirectory("outside");
        Files.writeString(outside.resolve("log"), "outside\n");
    }

    @AfterEach
    void removeOutside() throws IOException {
        PathUtils.deleteDirectory(outside);
    }

    @Test
    @Case("deploy.local-swap-races")
    void aDirectoryOnTheWayThatIsALinkFailsEveryOperationAndNothingOutsideIsTouched() throws IOException {
        Files.createSymbolicLink(home.resolve(".facsimile"), outside);
        try (OpenTree tree = OpenTree.open(home, Path.of(""))) {
            List<Op> ops = List.of(
                    () -> tree.append(".facsimile/log").close(),
                    () -> tree.read(".facsimile/log").close(),
                    () -> tree.create(".facsimile/new", null).close(),
                    () -> tree.attributes(".facsimile/log"),
                    () -> tree.deleteFile(".facsimile/log"),
                    () -> tree.setPermissions(".facsimile/log", PosixFilePermissions.fromString("rwxrwxrwx")),
                    () -> tree.rename(".facsimile/log", ".facsimile/moved"));
            for (Op op : ops) {
                assertThatThrownBy(op::run).isInstanceOf(FileSystemException.class);
            }
        }
        assertThat(outside)
                .isDirectoryContaining(p -> p.getFileName().toString().equals("log"));
        try (var listed = Files.list(outside)) {
            assertThat(listed).hasSize(1);
        }
        assertThat(outside.resolve("log")).hasContent("outside");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("log"))))
                .isNotEqualTo("rwxrwxrwx");
        assertThatThrownBy(() -> OpenTree.open(home, Path.of(".facsimile"), true))
                .isInstanceOf(FileSystemException.class);
    }

    @Test
    @Case("deploy.local-swap-races")
    void aDirectorySwappedForALinkOnceOpenedIsStillTheOneWrittenNotTheLinksTarget() throws IOException {
        Path meta = Files.createDirectories(home.resolve(".facsimile"));
        try (OpenTree tree = OpenTree.open(home, Path.of(""))) {
            tree.append(".facsimile/log").close(); // opens .facsimile
            Files.move(meta, home.resolve("moved-away"));
            Files.createSymbolicLink(meta, outside);
            try (SeekableByteChannel out = tree.append(".facsimile/log")) {
                out.write(ByteBuffer.wrap("line\n".getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(outside.resolve("log")).hasContent("outside");
        assertThat(home.resolve("moved-away/log")).hasContent("line");
    }

    @Test
    void aFileIsCreatedWithItsPermissionsAndSetToThemWhereTheUmaskNarrowedThem() throws IOException {
        Set<PosixFilePermission> groupWritable = PosixFilePermissions.fromString("rw-rw-r--");
        try (OpenTree tree = OpenTree.open(home, Path.of("r"), true)) {
            tree.create("a/b/f", groupWritable).close();
        }
        assertThat(Files.getPosixFilePermissions(home.resolve("r/a/b/f"))).isEqualTo(groupWritable);
    }

    @Test
    void theUmaskIsReadFromItsStatusLine(@TempDir Path dir) throws IOException {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nUmask:\t0027\nState:\tR\n");
        assertThat(Umask.read(status))
                .isEqualTo(EnumSet.of(
                        PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE,
                        PosixFilePermission.OTHERS_EXECUTE));
        Files.writeString(status, "Name:\tjava\n");
        assertThat(Umask.read(status)).isEqualTo(EnumSet.allOf(PosixFilePermission.class));
        assertThat(Umask.read(dir.resolve("absent"))).isEqualTo(EnumSet.allOf(PosixFilePermission.class));
    }

    @FunctionalInterface
    private interface Op {
        void run() throws IOException;
    }
}

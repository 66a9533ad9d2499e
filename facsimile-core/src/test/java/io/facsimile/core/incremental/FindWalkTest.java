package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GNU {@code find}'s listing against Java's own, entry for entry; and every doubt answered by Java. */
class FindWalkTest {

    @TempDir
    Path dir;

    @BeforeEach
    void onLinux() {
        // the machines this project builds and tests on are Linux with GNU findutils; elsewhere Java lists
        assumeTrue(System.getProperty("os.name").equals("Linux"), "GNU find is asked on Linux");
    }

    private Path write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void findListsExactlyWhatJavaLists() throws IOException, InterruptedException {
        write("b/z.conf", "zz");
        write("a-c", "x");
        write("a/deep/er/f", "f");
        write("A", "upper before lower");
        write("été/一 two", "non-ASCII names, a space");
        write("per%cent\\back", "printf's own characters");
        write("new\nline", "a newline in a name");
        Files.createDirectories(dir.resolve("empty"));
        Files.setPosixFilePermissions(write("run.sh", "#!/bin/sh\n"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(write("locked", "x"), PosixFilePermissions.fromString("---------"));
        Files.setLastModifiedTime(write("old", "o"), FileTime.from(Instant.parse("1999-12-31T23:59:59.123456789Z")));
        Files.createSymbolicLink(dir.resolve("a/link"), Path.of("../b/z.conf"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere at all"));
        Files.createSymbolicLink(dir.resolve("to-dir"), Path.of("a"));
        new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor();
        new ProcessBuilder("chmod", "4755", dir.resolve("run.sh").toString())
                .start()
                .waitFor();

        Optional<List<FileState>> found = FindWalk.list(dir);

        assertThat(found).as("GNU find answered").isPresent();
        assertThat(found.get()).containsExactlyElementsOf(FileState.walk(dir, true));
        assertThat(found.get()).extracting(FileState::path).contains("fifo", "new\nline", "a/link", "to-dir");
        assertThat(FileState.list(dir)).isEqualTo(found.get());
    }

    @Test
    void aRootThatIsALinkIsListedThroughItAsJavaDoes() throws IOException {
        write("real/inner/file", "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));

        assertThat(FindWalk.list(link)).contains(FileState.walk(link, true));
        assertThat(FindWalk.list(link).orElseThrow())
                .extracting(FileState::path)
                .containsExactly("inner", "inner/file");
    }

    @Test
    void aFindThatFailsIsNoAnswer() {
        assertThat(FindWalk.list(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void anythingNotAsAskedIsNoAnswer() {
        assertThat(parse("f 644 3 1700000000.1234567890\0\0a\0")).isPresent();
        assertThat(parse("f 644 3 1700000000.1234567890\0\0")).as("cut short").isEmpty();
        assertThat(parse("f 644 3 1700000000.1234567890\0\0\0")).as("no name").isEmpty();
        assertThat(parse("f 644 3\0\0a\0")).as("no time").isEmpty();
        assertThat(parse("f 644 3 -1.5000000000\0\0a\0")).as("before 1970").isEmpty();
        assertThat(parse("f 644 3 1700000000.12\0\0a\0"))
                .as("less than nanoseconds")
                .isEmpty();
        assertThat(parse("f 644 3 1700000000.1234567891\0\0a\0"))
                .as("finer than nanoseconds")
                .isEmpty();
        assertThat(parse("f 9x9 3 1700000000.1234567890\0\0a\0"))
                .as("mode not octal")
                .isEmpty();
        assertThat(parse("f 644 3 1700000000.1234567890\0target\0a\0"))
                .as("a file with a target")
                .isEmpty();
        assertThat(parse("l 777 6 1700000000.1234567890\0\0a\0"))
                .as("a link without one")
                .isEmpty();
        assertThat(parse("ff 644 3 1700000000.1234567890\0\0a\0"))
                .as("two kinds")
                .isEmpty();
        assertThat(parse("f 644 3 9223372035.0000000000\0\0a\0")).isPresent();
        assertThat(parse("f 644 3 9223372036.0000000000\0\0a\0"))
                .as("past 2262")
                .isEmpty();
        assertThat(parse("f 644 3 18446744074.0000000000\0\0a\0"))
                .as("far past 2262")
                .isEmpty();
    }

    @Test
    void twoNamesThisJvmDecodesAlikeAreNoAnswer() {
        // 0xfe and 0xff are no UTF-8: both names read as U+FFFD, and their entries would interleave
        byte[] head = "d 755 0 1.0000000000\0\0".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        for (int name : new int[] {0xfe, 0xff}) {
            output.writeBytes(head);
            output.write(name);
            output.write(0);
        }
        assertThat(FindWalk.parse(output.toByteArray(), StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void parsesEachFieldAsJavaReadsIt() {
        List<FileState> parsed = parse("d 2755 4096 1700000000.0000000010\0\0d\0"
                        + "l 777 6 1.5000000000\0target\0d/l\0"
                        + "p 600 0 2.0000000000\0\0d/p\0"
                        + "f 644 12 3.0000000000\0\0d-e\0")
                .orElseThrow();

        assertThat(parsed)
                .containsExactly(
                        new FileState("d", "d", 0, 1_700_000_000_000_000_001L, "rwxr-xr-x", ""),
                        new FileState("d/l", "l", 6, 1_500_000_000L, "", "target"),
                        new FileState("d/p", "o", 0, 2_000_000_000L, "rw-------", ""),
                        new FileState("d-e", "f", 12, 3_000_000_000L, "rw-r--r--", ""));
    }

    @Test
    void ordersPathsAsJavaListsThemDirectoryByDirectory() {
        StringBuilder output = new StringBuilder();
        for (String path : List.of("b", "a-c", "a/b", "a", "a/b/c", "a/b-c", "a b", "A")) {
            output.append("f 644 1 1.0000000000\0\0").append(path).append('\0');
        }
        assertThat(parse(output.toString()).orElseThrow())
                .extracting(FileState::path)
                .containsExactly("A", "a", "a/b", "a/b/c", "a/b-c", "a b", "a-c", "b");
    }

    private static Optional<List<FileState>> parse(String output) {
        return FindWalk.parse(output.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}

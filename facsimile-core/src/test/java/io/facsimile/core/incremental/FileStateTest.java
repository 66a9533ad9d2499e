package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateTest {

    @TempDir
    Path dir;

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void listsDepthFirstWithEachDirectorysEntriesSortedByName() throws IOException {
        write("b/z.conf", "z");
        write("b/a.conf", "a");
        write("a-c", "x"); // sorts before "a" as a path would ("a-c" < "a/…"), but after it as a name
        write("a/deep/er/f", "f");
        write("c", "c");
        assertThat(FileState.list(dir))
                .extracting(FileState::path)
                .containsExactly("a", "a/deep", "a/deep/er", "a/deep/er/f", "a-c", "b", "b/a.conf", "b/z.conf", "c");
    }

    @Test
    void theOrderDoesNotDependOnTheOrderFilesWereCreatedIn() throws IOException {
        List<String> names = TreeFixtures.names(8, 40);
        Collections.shuffle(names, new java.util.Random(7));
        for (String name : names) {
            write(name, name);
        }
        List<String> listed = FileState.list(dir).stream().map(FileState::path).toList();
        assertThat(listed).hasSize(8 + 320).doesNotHaveDuplicates();
        for (int d = 0; d < 8; d++) {
            List<String> inDir = new ArrayList<>();
            for (String path : listed) {
                if (path.startsWith("d" + d + "/")) {
                    inDir.add(path);
                }
            }
            assertThat(inDir).isSorted().hasSize(40);
            assertThat(listed.indexOf("d" + d)).isEqualTo(listed.indexOf(inDir.get(0)) - 1);
        }
    }

    @Test
    void recordsKindSizeModeAndLinksWithoutFollowingThem() throws IOException {
        write("real/file.txt", "hello");
        Files.setPosixFilePermissions(dir.resolve("real/file.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));
        List<FileState> states = FileState.list(dir);
        assertThat(states).extracting(FileState::path).containsExactly("link", "real", "real/file.txt");
        FileState link = states.get(0);
        assertThat(link.kind()).isEqualTo("l");
        assertThat(link.link()).isEqualTo(dir.resolve("real").toString());
        FileState file = states.get(2);
        assertThat(file.kind()).isEqualTo("f");
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.permissions()).isEqualTo("rwxr-x---");
        assertThat(states.get(1).kind()).isEqualTo("d");
        assertThat(states.get(1).size()).isZero();
    }

    @Test
    void aRootThatIsALinkIsListedThroughIt() throws IOException {
        write("real/a.conf", "a");
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));
        assertThat(FileState.list(link)).extracting(FileState::path).containsExactly("a.conf");
    }

    @Test
    void aDirectoryRemovedBeforeItIsReadHasNoEntries() {
        assertThat(FileState.entries(dir.resolve("gone"), true)).isEmpty();
    }

    @Test
    void aMissingDirectoryListsEmptyAndAMissingFileIsKindDash() {
        assertThat(FileState.list(dir.resolve("nope"))).isEmpty();
        assertThat(FileState.of(dir.resolve("nope")).kind()).isEqualTo("-");
    }

    @Test
    void anUnreadableDirectoryIsABrokenRunNamingTheDirectory() throws IOException {
        write("locked/inside", "x");
        TreeFixtures.assertListingFails(dir.resolve("locked"), () -> FileState.list(dir), dir);
    }
}

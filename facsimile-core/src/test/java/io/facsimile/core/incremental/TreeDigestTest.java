package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDigestTest {

    private static final FileTime TIME = FileTime.fromMillis(1_700_000_000_000L);

    @TempDir
    Path dir;

    private Path write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    /** A small tree: files at two depths, an empty directory and a link. */
    private Path tree(String name) throws IOException {
        Path root = dir.resolve(name);
        write(root, "etc/app.conf", "port=1");
        write(root, "etc/d/deep.conf", "deep");
        write(root, "bin/run", "#!/bin/sh");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("etc"));
        return root;
    }

    /** Sets every entry's time, so that two trees made apart can be equal. */
    private static void settle(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(TIME, null, null);
            }
        }
    }

    @Test
    void theSameTreeGivesTheSameDigestAndItsNewestTime() throws IOException {
        Path root = tree("a");
        settle(root);
        Files.setLastModifiedTime(root.resolve("etc/d/deep.conf"), FileTime.fromMillis(TIME.toMillis() + 5));
        TreeDigest first = TreeDigest.of(root);
        assertThat(TreeDigest.of(root)).isEqualTo(first);
        assertThat(first.hex()).hasSize(16);
        assertThat(first.newest()).isEqualTo((TIME.toMillis() + 5) * 1_000_000);
    }

    @Test
    void twoTreesWithTheSameEntriesAreEqualWhateverOrderTheyWereMadeIn() throws IOException {
        List<String> names = TreeFixtures.names(6, 30);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        for (String name : names) {
            write(one, name, name);
        }
        Collections.shuffle(names, new Random(3));
        for (String name : names) {
            write(two, name, name);
        }
        settle(one);
        settle(two);
        assertThat(TreeDigest.of(two)).isEqualTo(TreeDigest.of(one));
    }

    @Test
    void anyChangeToAnEntryChangesTheDigest() throws IOException {
        Path root = tree("a");
        settle(root);
        List<String> digests = new ArrayList<>();
        digests.add(TreeDigest.of(root).hex());
        Files.writeString(root.resolve("etc/d/deep.conf"), "!", StandardOpenOption.APPEND); // size, deep down
        Files.setLastModifiedTime(root.resolve("etc/d/deep.conf"), TIME);
        digests.add(TreeDigest.of(root).hex());
        Files.setLastModifiedTime(root.resolve("bin/run"), FileTime.fromMillis(TIME.toMillis() + 1)); // time alone
        digests.add(TreeDigest.of(root).hex());
        Files.setPosixFilePermissions(root.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x")); // mode
        digests.add(TreeDigest.of(root).hex());
        Files.delete(root.resolve("current")); // a link's target
        Files.createSymbolicLink(root.resolve("current"), Path.of("bin"));
        digests.add(TreeDigest.of(root).hex());
        Files.createDirectories(root.resolve("empty/more")); // an empty directory added
        Files.setLastModifiedTime(root.resolve("empty"), TIME);
        digests.add(TreeDigest.of(root).hex());
        Files.move(root.resolve("etc/app.conf"), root.resolve("etc/d/app.conf")); // moved to another directory
        Files.setLastModifiedTime(root.resolve("etc"), TIME);
        Files.setLastModifiedTime(root.resolve("etc/d"), TIME);
        digests.add(TreeDigest.of(root).hex());
        Files.move(root.resolve("etc/d/app.conf"), root.resolve("etc/d/app.conf.old")); // renamed
        Files.setLastModifiedTime(root.resolve("etc/d"), TIME);
        digests.add(TreeDigest.of(root).hex());
        Files.delete(root.resolve("etc/d/app.conf.old")); // removed
        Files.setLastModifiedTime(root.resolve("etc/d"), TIME);
        digests.add(TreeDigest.of(root).hex());
        assertThat(digests).doesNotHaveDuplicates();
    }

    @Test
    void anEmptyFileAndAnEmptyDirectoryOfTheSameNameDiffer() throws IOException {
        Path one = Files.createDirectories(dir.resolve("one/x")).getParent();
        Path two = write(dir.resolve("two"), "x", "").getParent();
        settle(one);
        settle(two);
        assertThat(TreeDigest.of(one)).isNotEqualTo(TreeDigest.of(two));
    }

    @Test
    void aMissingDirectoryDiffersFromAnEmptyOne() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(TreeDigest.of(dir.resolve("nope"))).isNotEqualTo(TreeDigest.of(empty));
        assertThat(TreeDigest.of(dir.resolve("nope")).newest()).isZero();
        assertThat(TreeDigest.of(empty).newest()).isZero();
    }

    @Test
    void aRootThatIsALinkIsFollowedAndWhatItHoldsCounts() throws IOException {
        Path real = tree("real");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        settle(real);
        TreeDigest before = TreeDigest.of(link);
        assertThat(before).isEqualTo(TreeDigest.of(real));
        Files.writeString(real.resolve("etc/app.conf"), "port=22");
        assertThat(TreeDigest.of(link)).isNotEqualTo(before);
    }

    @Test
    void anUnreadableDirectoryIsABrokenRunNamingIt() throws IOException {
        Path root = tree("a");
        TreeFixtures.assertListingFails(root.resolve("etc/d"), () -> TreeDigest.of(root), root);
    }

    @Test
    void theListingForTheDigestHandsOutEachRegularFileByItsRelativePath() throws IOException {
        Path root = tree("files");
        java.util.Map<String, FileState> files = new java.util.concurrent.ConcurrentHashMap<>();
        assertThat(TreeDigest.of(root, files::put)).isEqualTo(TreeDigest.of(root));
        assertThat(files).containsOnlyKeys("etc/app.conf", "etc/d/deep.conf", "bin/run");
        assertThat(files.get("etc/d/deep.conf").size()).isEqualTo(4);
        assertThat(files.get("etc/d/deep.conf").modified())
                .isEqualTo(Files.getLastModifiedTime(root.resolve("etc/d/deep.conf"))
                        .to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }
}

package io.facsimile.core.incremental;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the machine's own GNU {@code find}, which CI installs with the rest of Debian's base. */
public class ReleaseDirChangesTest {

    @TempDir
    Path root;

    @BeforeAll
    static void gnuFind() {
        assumeTrue(hasGnuFind(), "GNU find on the PATH");
    }

    /** Whether {@code find} on the PATH is GNU's, whose answers the fast check takes. */
    public static boolean hasGnuFind() {
        try {
            Process find = new ProcessBuilder("find", "--version")
                    .redirectErrorStream(true)
                    .start();
            String version = new String(find.getInputStream().readAllBytes(), UTF_8);
            return find.waitFor() == 0 && version.contains("GNU findutils");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether this JVM encodes file names beyond ASCII (not under the POSIX locale). */
    private boolean namesBeyondAscii() {
        try {
            Files.createDirectory(root.resolve("\u00fc"));
            Files.delete(root.resolve("\u00fc"));
            return true;
        } catch (InvalidPathException | IOException e) {
            return false;
        }
    }

    /** A release dir of a few files and directories, stamped as a render leaves it. */
    private Path rendered(String name) throws IOException {
        Path releaseDir = root.resolve(name);
        Files.createDirectories(releaseDir.resolve("etc/d"));
        Files.writeString(releaseDir.resolve("etc/app.conf"), "port=1\n");
        Files.writeString(releaseDir.resolve("etc/d/deep.conf"), "deep\n");
        Files.createSymbolicLink(releaseDir.resolve("current"), Path.of("etc"));
        ReleaseStamp.record(releaseDir, "inputs", null, 0, Map.of(), List.of(), 0, null);
        return releaseDir;
    }

    private static long listedAt(Path releaseDir) throws IOException {
        return StampFile.read(ReleaseStamp.fileFor(releaseDir)).listedAt();
    }

    private boolean unchanged(Path releaseDir) throws IOException {
        return ReleaseDirChanges.start(root, List.of(releaseDir.getFileName().toString()))
                .unchangedSince(releaseDir, listedAt(releaseDir));
    }

    @Test
    void aReleaseDirUntouchedSinceItsStampListedItIsKnownUnchangedWithoutListingIt() throws IOException {
        Path releaseDir = rendered("dev");
        assertThat(listedAt(releaseDir)).isPositive();

        assertThat(unchanged(releaseDir)).isTrue();
        // reading changes nothing, and the probe and find's answer leave nothing behind
        Files.readString(releaseDir.resolve("etc/app.conf"));
        assertThat(unchanged(releaseDir)).isTrue();
        try (Stream<Path> entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("dev", ".dev.stamp");
        }
    }

    @Test
    void everyKindOfChangeBelowTheReleaseDirIsSeenEvenWithItsTimePutBack() throws IOException {
        List<ThrowingChange> changes = List.of(
                dir -> Files.writeString(dir.resolve("etc/app.conf"), "x", StandardOpenOption.APPEND),
                dir -> Files.setPosixFilePermissions(
                        dir.resolve("etc/d/deep.conf"), PosixFilePermissions.fromString("rw-------")),
                dir -> {
                    // the same size, and the modification time set back to what it was: only the change time tells
                    TestFiles.rewriteKeepingItsTime(dir.resolve("etc/app.conf"), "port=2\n");
                },
                dir -> Files.writeString(dir.resolve("etc/d/new.conf"), "new"),
                dir -> Files.delete(dir.resolve("etc/d/deep.conf")),
                dir -> Files.move(dir.resolve("etc/d/deep.conf"), dir.resolve("etc/d/renamed.conf")),
                dir -> Files.createLink(root.resolve("outside"), dir.resolve("etc/app.conf")),
                dir -> {
                    Files.delete(dir.resolve("current"));
                    Files.createSymbolicLink(dir.resolve("current"), Path.of("etc/d"));
                },
                dir -> Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------")));
        for (int i = 0; i < changes.size(); i++) {
            Path releaseDir = rendered("r" + i);
            assertThat(unchanged(releaseDir)).as("change %d, before", i).isTrue();
            changes.get(i).apply(releaseDir);
            assertThat(unchanged(releaseDir)).as("change %d", i).isFalse();
        }
    }

    @Test
    @io.facsimile.core.reliability.Case("input.find-unchanged")
    void onlyTheReleaseDirsWithAChangeCountAsChangedWhateverTheirNamesMatch() throws IOException {
        // -path takes wildcards: a[1] must not stand for a1, nor a* for ab; find compares bytes (C locale),
        // so names beyond ASCII must match as themselves too, where this JVM can name such files
        // and names that are the probe's own answers: an instance may be called above or at
        List<String> names = new ArrayList<>(List.of("a1", "a[1]", "ab", "a*", "b%s\\", "above", "at"));
        List<String> edited = new ArrayList<>(List.of("a[1]", "a*", "above"));
        if (namesBeyondAscii()) {
            names.addAll(List.of("prod-\u00fc", "prod-\u00fc[1]", "\u00e9t\u00e9-\u4e00"));
            edited.add("prod-\u00fc[1]");
        }
        for (String name : names) {
            rendered(name);
        }
        for (String name : edited) {
            Files.writeString(root.resolve(name + "/etc/app.conf"), "x", StandardOpenOption.APPEND);
        }

        ReleaseDirChanges changes = ReleaseDirChanges.start(root, names);
        for (String name : names) {
            Path releaseDir = root.resolve(name);
            assertThat(changes.unchangedSince(releaseDir, listedAt(releaseDir)))
                    .as(name)
                    .isEqualTo(!edited.contains(name));
        }
    }

    @Test
    void aStampRewrittenSinceTheQuestionOrADirThatIsNoneOrALinkCountsAsChanged() throws IOException {
        Path releaseDir = rendered("dev");
        ReleaseDirChanges changes = ReleaseDirChanges.start(root, List.of("dev", "missing", "linked", "unstamped"));
        assertThat(changes.unchangedSince(releaseDir, listedAt(releaseDir) + 1)).isFalse();
        assertThat(changes.unchangedSince(releaseDir, listedAt(releaseDir))).isTrue();

        Path target = rendered("target");
        Files.createSymbolicLink(root.resolve("linked"), target.getFileName());
        Files.copy(ReleaseStamp.fileFor(target), ReleaseStamp.fileFor(root.resolve("linked")));
        Files.createDirectories(root.resolve("unstamped"));
        ReleaseDirChanges again = ReleaseDirChanges.start(root, List.of("linked", "unstamped", "missing"));
        assertThat(again.unchangedSince(root.resolve("linked"), listedAt(target)))
                .isFalse();
        assertThat(again.unchangedSince(root.resolve("unstamped"), 0)).isFalse();
        assertThat(again.unchangedSince(root.resolve("missing"), 0)).isFalse();
        assertThat(ReleaseDirChanges.none().unchangedSince(releaseDir, listedAt(releaseDir)))
                .isFalse();
    }

    @Test
    void findIsAskedBothQuestionsOfTheProbe() throws IOException, InterruptedException {
        Path probe = Files.createFile(root.resolve("probe"));
        long ctime = ((FileTime) Files.getAttribute(probe, "unix:ctime", LinkOption.NOFOLLOW_LINKS))
                .to(TimeUnit.NANOSECONDS);
        // asked about its own change time, the probe is newer than 1 ns before it and not than itself;
        // asked as if it had changed 1 ns earlier, it is newer than both: find must answer the second too
        assertThat(probeAnswers(ctime)).isEqualTo("|above|");
        assertThat(probeAnswers(ctime - 1)).isEqualTo("|above||at|");
    }

    private String probeAnswers(long probed) throws IOException, InterruptedException {
        Process find = new ProcessBuilder(ReleaseDirChanges.command(Map.of(), "probe", probed))
                .directory(root.toFile())
                .start();
        String out = new String(find.getInputStream().readAllBytes(), UTF_8);
        assertThat(find.waitFor()).isZero();
        return out.replace('\0', '|');
    }

    @Test
    void aStampListedLaterThanTheClockNowReadsCountsAsChanged() throws IOException {
        // the clock was set back since the stamp's listing: a change meanwhile has an older change time
        Path releaseDir = rendered("dev");
        ReleaseStamp stamp = StampFile.read(ReleaseStamp.fileFor(releaseDir));
        long future = stamp.listedAt() + TimeUnit.HOURS.toNanos(1);
        Files.write(
                ReleaseStamp.fileFor(releaseDir),
                StampFile.write(new ReleaseStamp(
                        stamp.version(),
                        stamp.inputs(),
                        stamp.resolution(),
                        stamp.newestInput(),
                        stamp.racyInputs(),
                        stamp.watched(),
                        stamp.outputs(),
                        stamp.newestOutput(),
                        future,
                        stamp.copiesApart())));
        assertThat(ReleaseDirChanges.start(root, List.of("dev")).unchangedSince(releaseDir, future))
                .isFalse();
    }

    @Test
    void theAnswerCountsOnlyWhenTheProbeWasFoundNewerThanJustBeforeItAndNotThanItself() {
        Set<String> asked = Set.of("a", "b");
        assertThat(ReleaseDirChanges.unchanged(asked, "d:a\0d:a\0\0above\0".getBytes(UTF_8)))
                .containsExactly("b");
        assertThat(ReleaseDirChanges.unchanged(asked, "\0above\0".getBytes(UTF_8)))
                .containsExactlyInAnyOrder("a", "b");
        // find compared no better than to the second, or not at all, or printed what it was not asked: no
        // answer, which is not "all changed"
        assertThat(ReleaseDirChanges.unchanged(asked, "\0above\0\0at\0".getBytes(UTF_8)))
                .isNull();
        assertThat(ReleaseDirChanges.unchanged(asked, new byte[0])).isNull();
        assertThat(ReleaseDirChanges.unchanged(asked, "\0above\0./a/etc\n".getBytes(UTF_8)))
                .isNull();
    }

    @Test
    void timesAreGivenToTheNanosecondAndNamesLiterally() {
        assertThat(ReleaseDirChanges.seconds(1_700_000_000_000_000_001L)).isEqualTo("1700000000.000000001");
        assertThat(ReleaseDirChanges.seconds(1_700_000_000_123_456_789L)).isEqualTo("1700000000.123456789");
        assertThat(ReleaseDirChanges.escaped("a*[b]?\\c")).isEqualTo("a\\*\\[b\\]\\?\\\\c");
        assertThat(ReleaseDirChanges.command(Map.of("dev", 1_700_000_000_000_000_000L), "p", 5L))
                .containsSubsequence(
                        "find",
                        "-P",
                        "./dev",
                        "./p",
                        "(",
                        "-path",
                        "./dev",
                        "-o",
                        "-path",
                        "./dev/*",
                        ")",
                        "-newerct",
                        "@1699999999.999999999");
    }

    @FunctionalInterface
    private interface ThrowingChange {
        void apply(Path releaseDir) throws IOException;
    }
}

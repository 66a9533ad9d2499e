package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputRecordTest {

    @TempDir
    Path dir;

    private Path defs;
    private Path release;
    private Path source;

    @BeforeEach
    void files() throws IOException {
        defs = Files.createDirectories(dir.resolve("defs"));
        release = Files.createDirectories(dir.resolve("target/dev"));
        source = Files.writeString(defs.resolve("a.dat"), "aaaa");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(60)));
        Files.writeString(release.resolve("a.dat"), "aaaa");
        Files.writeString(release.resolve("b.conf"), "bb");
        // written a while ago: a file written in the tick of the record's mark is not recorded
        for (String file : new String[] {"a.dat", "b.conf"}) {
            Files.setLastModifiedTime(
                    release.resolve(file), FileTime.from(Instant.now().minusSeconds(1)));
        }
        // and their status changed (by setting the time) a tick before the record is made: it holds them
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private void record() {
        record(Map.of());
    }

    /** Records a copy {@code a.dat} of {@code source} and a rendered {@code b.conf}. */
    private void record(Map<String, FileState> listed) {
        OutputRecord.record(
                release,
                Map.of(
                        "a.dat", new OutputRecord.Written("aa-digest", 4, source),
                        "b.conf", new OutputRecord.Written("bb-digest", 2, null)),
                new SourceFiles(defs),
                listed);
    }

    @Test
    void aCopyAnswersWhileItsSourceAndReleaseFileKeepTheirSizeAndTime() throws IOException {
        record();
        OutputRecord read = OutputRecord.read(release);
        assertThat(read.copyDigest("a.dat", source, new SourceFiles(defs))).isEqualTo("aa-digest");
        assertThat(read.holds(release, "a.dat", "aa-digest", attributes(release.resolve("a.dat"))))
                .isTrue();
        assertThat(read.holds(release, "b.conf", "bb-digest", attributes(release.resolve("b.conf"))))
                .isTrue();
        assertThat(read.checked("b.conf", new OutputRecord.Written("bb-digest", 2, null)))
                .isTrue();
        // other content, another source, another time
        assertThat(read.holds(release, "b.conf", "other", attributes(release.resolve("b.conf"))))
                .isFalse();
        assertThat(read.copyDigest("a.dat", defs.resolve("other.dat"), new SourceFiles(defs)))
                .isNull();
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(read.copyDigest("a.dat", source, new SourceFiles(defs))).isNull();
        Files.writeString(release.resolve("b.conf"), "BB");
        assertThat(read.holds(release, "b.conf", "bb-digest", attributes(release.resolve("b.conf"))))
                .isFalse();
    }

    @Test
    @Case("input.stale-stamp")
    void aFileEditedAndGivenBackItsSizeAndTimeIsNotHeld() throws IOException {
        record();
        OutputRecord read = OutputRecord.read(release);
        Path conf = release.resolve("b.conf");
        assertThat(read.holds(release, "b.conf", "bb-digest", attributes(conf))).isTrue();
        TestFiles.rewriteKeepingItsTime(conf, "BB");
        assertThat(attributes(conf).size())
                .isEqualTo(read.entries().get("b.conf").size());
        assertThat(read.holds(release, "b.conf", "bb-digest", attributes(conf))).isFalse();
    }

    @Test
    @Case("input.stale-stamp")
    void aRefreshKeepsNoEntryWhoseFileChangedSinceTheRecordWasMade() throws IOException {
        record();
        OutputRecord read = OutputRecord.read(release);
        Path conf = release.resolve("b.conf");
        TestFiles.rewriteKeepingItsTime(conf, "BB");
        // a listing finds the recorded size and time: only the change time tells, and the new record's
        // later time must not vouch for the edit
        Map<String, FileState> listed =
                Map.of("a.dat", FileState.of(release.resolve("a.dat")), "b.conf", FileState.of(conf));
        read.recordRefreshed(release, Map.of(), new SourceFiles(defs), listed);
        assertThat(OutputRecord.read(release).entries()).containsOnlyKeys("a.dat");
    }

    @Test
    @Case("input.stale-record")
    void aTimeNotOlderThanTheMarkIsNotRecorded() throws IOException {
        // a release file with a time ahead of the clock, and a source listed within the tick of its time
        Files.setLastModifiedTime(
                release.resolve("b.conf"), FileTime.from(Instant.now().plusSeconds(60)));
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusMillis(50)));
        record();
        OutputRecord read = OutputRecord.read(release);
        // the copy is named, with no size and time of its source: nothing answers for its content
        assertThat(read.entries()).containsOnlyKeys("a.dat");
        assertThat(read.entries().get("a.dat").sourceSize()).isEqualTo(OutputRecord.UNTRUSTED);
        assertThat(read.entries().get("a.dat").sourceModified()).isEqualTo(OutputRecord.UNTRUSTED);
        assertThat(read.copyDigest("a.dat", source, new SourceFiles(defs))).isNull();
    }

    @Test
    @Case("input.stale-record")
    void aRecordOfAnotherFormatOrDamagedIsNone() throws IOException {
        record();
        assertThat(OutputRecord.read(release).entries()).containsOnlyKeys("a.dat", "b.conf");
        Path file = OutputRecord.fileFor(release);
        String json = Files.readString(file);
        Files.writeString(file, json.replace("\"version\":2", "\"version\":1"));
        assertThat(OutputRecord.read(release).entries()).isEmpty();
        // a record that does not say when it was made holds nothing
        Files.writeString(file, json.replaceFirst("\"madeAt\":\\d+", "\"madeAt\":0"));
        assertThat(OutputRecord.read(release).entries()).isEmpty();
        Files.writeString(file, json.replace("\"code\":\"", "\"code\":\"another build "));
        assertThat(OutputRecord.read(release).entries()).isEmpty();
        Files.writeString(file, json.substring(0, json.length() / 2));
        assertThat(OutputRecord.read(release).entries()).isEmpty();
        OutputRecord.invalidate(release);
        assertThat(file).doesNotExist();
        assertThat(OutputRecord.read(release).entries()).isEmpty();
    }

    @Test
    void theStampsListingIsRecordedAsItFoundTheFilesAndTheRestIsLookedAt() throws IOException {
        record(Map.of("b.conf", new FileState("b.conf", "f", 99, 12345, "rw-r--r--", "")));
        Map<String, OutputRecord.Entry> entries = OutputRecord.read(release).entries();
        assertThat(entries.get("b.conf")).isEqualTo(new OutputRecord.Entry("bb-digest", 99, 12345, "", 0, 0));
        assertThat(entries.get("a.dat").size()).isEqualTo(4);
        assertThat(entries.get("a.dat").source()).isEqualTo(source.toString());
    }
}

package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.release.ManifestEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar stream of a release's new files, read back with commons-compress. */
class TarStreamTest {

    @TempDir
    Path dir;

    @Test
    void eachFileIsOneEntryWithItsModeAndItsTimeInWholeSeconds() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/app.conf"), "port=1\n");
        Files.setLastModifiedTime(
                dir.resolve("etc/app.conf"), FileTime.from(Instant.ofEpochSecond(1_700_000_000, 987_654_321)));
        ManifestEntry e = new ManifestEntry("etc/app.conf", 7, "0640", "0".repeat(64), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] sent = {0};

        TarStream.write(out, dir, List.of(e), bytes -> sent[0] += bytes);

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("etc/app.conf");
            assertThat(entry.getMode() & 07777).isEqualTo(0640);
            // a fraction of a second would cost the entry a pax header of its own: 1 KiB more per small file
            assertThat(entry.getLastModifiedTime().toInstant()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("port=1\n");
            assertThat(in.getNextEntry()).isNull();
        }
        assertThat(out.size())
                .as("header, content, end of archive; no pax header")
                .isEqualTo(4 * 512);
        assertThat(sent[0]).isEqualTo(7);
    }
}

package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.template.TemplateEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer reads no existing file its caller knows to be right, and still refuses links and fixes modes. */
class KnownFilesTest {

    @TempDir
    Path dir;

    private InstallSummary write(Path release, InstallExecutor.Known known) {
        PreparedFile conf = new PreparedFile(
                "etc/app.conf",
                "new".getBytes(StandardCharsets.UTF_8),
                null,
                PosixFilePermissions.fromString("rw-------"));
        return new InstallExecutor(new TemplateEngine(), new SourceFiles(dir.resolve("defs")))
                .write(release, List.of(conf), known);
    }

    @Test
    void aFileKnownToBeRightIsNotReadButItsModeIsStillSet() throws IOException {
        Path release = dir.resolve("release");
        Path conf = Files.createDirectories(release.resolve("etc")).resolve("app.conf");
        Files.writeString(conf, "old");
        List<String> asked = new ArrayList<>();
        InstallSummary summary = write(release, (destination, onDisk) -> {
            asked.add(destination + " " + onDisk.size());
            return true;
        });
        // known to be right: not compared, so the (different) content stays; the mode is applied
        assertThat(asked).containsExactly("etc/app.conf 3");
        assertThat(conf).hasContent("old");
        assertThat(Files.getPosixFilePermissions(conf)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(summary.written()).containsExactly("etc/app.conf");
        // known to be wrong, or not known: compared and rewritten
        assertThat(write(release, InstallExecutor.Known.NOTHING).written()).containsExactly("etc/app.conf");
        assertThat(conf).hasContent("new");
        assertThat(write(release, InstallExecutor.Known.NOTHING).unchanged()).containsExactly("etc/app.conf");
    }

    @Test
    void aLinkIsRefusedBeforeTheCallerIsAsked() throws IOException {
        Path release = dir.resolve("release");
        Path outside = Files.writeString(dir.resolve("outside"), "keep");
        Files.createSymbolicLink(Files.createDirectories(release.resolve("etc")).resolve("app.conf"), outside);
        Set<String> asked = new java.util.HashSet<>();
        assertThatThrownBy(() -> write(release, (destination, onDisk) -> asked.add(destination)))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("etc/app.conf")
                .hasMessageContaining("symbolic link");
        assertThat(asked).isEmpty();
        assertThat(outside).hasContent("keep");
    }
}

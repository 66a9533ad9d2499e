package io.facsimile.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModeTest {

    @TempDir
    Path dir;

    @Test
    void theOctalTextThePermissionsAndTheBitsAreOneMode() {
        FileMode mode = FileMode.parse("0640", "etc/app.key");
        assertThat(mode.bits()).isEqualTo(0640);
        assertThat(mode.octal()).isEqualTo("0640");
        assertThat(mode.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(FileMode.of(PosixFilePermissions.fromString("rwxr-xr-x"))).isEqualTo(new FileMode(0755));
        assertThat(FileMode.of((java.util.Set<PosixFilePermission>) null)).isEqualTo(FileMode.FILE);
        assertThat(new FileMode(07)).hasToString("0007");
    }

    @Test
    void onlyFourOctalDigitsAreAMode() {
        assertThat(FileMode.isOctal("0644")).isTrue();
        assertThat(FileMode.isOctal("644")).isFalse();
        assertThat(FileMode.isOctal("0648")).isFalse();
        assertThat(FileMode.isOctal(null)).isFalse();
        assertThatThrownBy(() -> FileMode.parse("rw-r--r--", "bin/run.sh"))
                .isInstanceOf(ReleaseException.class)
                .hasMessage("file mode \"rw-r--r--\" of bin/run.sh is not four octal digits; render the instance again")
                .matches(e -> ((ReleaseException) e).isUserError());
        assertThatThrownBy(() -> new FileMode(010000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileOnDiskHasTheModeItsPermissionsSay() throws Exception {
        Path file = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(FileMode.of(file, FileMode.FILE)).isEqualTo(new FileMode(0750));
        assertThat(Manifest.mode(file)).isEqualTo("0750");
    }
}

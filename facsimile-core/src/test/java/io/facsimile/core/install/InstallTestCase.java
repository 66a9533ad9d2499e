package io.facsimile.core.install;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** An install test: a fresh {@link InstallFixture} in a temporary directory for each test. */
abstract class InstallTestCase {

    @TempDir
    Path root;

    InstallFixture fixture;

    @BeforeEach
    final void createFixture() {
        fixture = new InstallFixture(root);
    }

    /** A copy group for any OS that requires its directory, with the pattern compiled when given. */
    static InstallGroup.Copy copy(
            List<String> files, List<String> optfiles, String dir, String pattern, String replace, String to) {
        return new InstallGroup.Copy(
                0,
                files,
                optfiles,
                dir,
                pattern == null ? null : Pattern.compile(pattern),
                replace,
                to,
                null,
                true,
                FileModes.NONE);
    }
}

package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the tests of tree listings share: many names, and a directory they cannot read. */
final class TreeFixtures {

    private TreeFixtures() {}

    /** The names {@code d<i>/f<j>} of {@code files} files in each of {@code dirs} directories, in order, in a list the caller may shuffle. */
    static List<String> names(int dirs, int files) {
        List<String> names = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            for (int f = 0; f < files; f++) {
                names.add("d" + d + "/f" + f);
            }
        }
        return names;
    }

    /**
     * Takes every permission from {@code locked}, asserts that {@code listing} fails as a broken run saying
     * {@code cannot list <tree>}, and gives the permissions back. Skipped as root, who reads any directory.
     */
    static void assertListingFails(Path locked, ThrowingCallable listing, Path tree) throws IOException {
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(locked), "root reads any directory");
            assertThatThrownBy(listing)
                    .isInstanceOf(IncrementalException.class)
                    .hasMessageContaining("cannot list " + tree);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }
}

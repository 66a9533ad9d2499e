package io.facsimile.core.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permissions this process's umask clears from a file it creates, as Linux tells it
 * ({@code Umask:} in {@code /proc/self/status}); Java cannot ask for it. A file created with permissions
 * the umask does not touch has exactly them, and needs no {@code chmod} after. Where the umask cannot be
 * read, it is taken to clear every permission, so that every file is set to its permissions after.
 */
final class Umask {

    private static final Set<PosixFilePermission> CLEARED = read(Path.of("/proc/self/status"));

    private Umask() {}

    /** Whether a file created with {@code permissions} gets fewer. */
    static boolean narrows(Set<PosixFilePermission> permissions) {
        for (PosixFilePermission p : permissions) {
            if (CLEARED.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** The permissions the {@code Umask:} line of {@code status} clears; all of them when it has none. */
    static Set<PosixFilePermission> read(Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("Umask:")) {
                    int bits =
                            Integer.parseInt(line.substring("Umask:".length()).strip(), 8);
                    Set<PosixFilePermission> cleared = EnumSet.noneOf(PosixFilePermission.class);
                    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ (0400) … OTHERS_EXECUTE (01)
                    for (int i = 0; i < all.length; i++) {
                        if ((bits & (1 << (all.length - 1 - i))) != 0) {
                            cleared.add(all[i]);
                        }
                    }
                    return cleared;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such file (not Linux), or a line this does not understand: as if every permission were cleared
        }
        return EnumSet.allOf(PosixFilePermission.class);
    }
}

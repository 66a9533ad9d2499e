package io.facsimile.core.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permission bits of a file, {@code 0644} for {@code rw-r--r--}: what a manifest writes as four octal
 * digits, an archive entry holds as bits and a file system sets as {@link PosixFilePermission}s.
 *
 * @param bits the permission bits, {@code 0} to {@code 07777}
 */
public record FileMode(int bits) {

    /** {@code 0644}: what a file gets where nothing says otherwise, and where the OS has no POSIX modes. */
    public static final FileMode FILE = new FileMode(0644);

    /** {@code 0755}: what a directory gets where the OS has no POSIX modes. */
    public static final FileMode DIRECTORY = new FileMode(0755);

    /** {@link #octal} of each mode once made, by its bits: a listing has thousands of files and a few modes. */
    private static final String[] OCTAL = new String[07777 + 1];

    public FileMode {
        if (bits < 0 || bits > 07777) {
            throw new IllegalArgumentException("file mode " + Integer.toOctalString(bits) + " is not 0000 to 7777");
        }
    }

    /**
     * The mode written as four octal digits.
     *
     * @param octal such as {@code "0640"}
     * @param of the file it is the mode of, for the message
     * @throws ReleaseException a user error when {@code octal} is not four octal digits
     */
    public static FileMode parse(String octal, Object of) {
        if (!isOctal(octal)) {
            throw ReleaseException.userError(
                    "file mode \"" + octal + "\" of " + of + " is not four octal digits; render the instance again");
        }
        return new FileMode(Integer.parseInt(octal, 8));
    }

    /** Whether {@code text} is four octal digits, like {@code 0644}. */
    public static boolean isOctal(String text) {
        // Checked by hand rather than by a regex: a manifest of 10,000 entries is read on every deploy.
        if (text == null || text.length() != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** The mode of these permissions; {@code null} gives {@link #FILE}. */
    public static FileMode of(Set<PosixFilePermission> permissions) {
        if (permissions == null) {
            return FILE;
        }
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            // the enum is declared OWNER_READ .. OTHERS_EXECUTE, i.e. from bit 8 down to bit 0
            bits |= 1 << (8 - p.ordinal());
        }
        return new FileMode(bits);
    }

    /** The mode of a file or directory, symlinks not followed; {@code fallback} where the OS has none. */
    public static FileMode of(Path file, FileMode fallback) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        return view == null ? fallback : of(view.readAttributes().permissions());
    }

    /** The mode as four octal digits, as a manifest writes it. */
    public String octal() {
        // By hand rather than String.format, and each text made once: 10,000 of these per render and per
        // listing of a release, in a fresh JVM each time, where a Formatter costs microseconds each.
        String octal = OCTAL[bits];
        if (octal == null) {
            octal = new String(new char[] {
                (char) ('0' + (bits >> 9 & 7)),
                (char) ('0' + (bits >> 6 & 7)),
                (char) ('0' + (bits >> 3 & 7)),
                (char) ('0' + (bits & 7))
            });
            OCTAL[bits] = octal; // a race makes the same text twice
        }
        return octal;
    }

    /** The read, write and execute bits as permissions (setuid, setgid and sticky have none). */
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((bits & (1 << (8 - p.ordinal()))) != 0) {
                permissions.add(p);
            }
        }
        return permissions;
    }

    @Override
    public String toString() {
        return octal();
    }
}

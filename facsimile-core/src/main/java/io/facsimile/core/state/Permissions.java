package io.facsimile.core.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Owner-only permissions for everything the state package creates: {@code rw-------} for files,
 * {@code rwx------} for directories. They are given at creation, not set afterwards, so that the file
 * is never readable by others, not even for a moment and not under umask 000. On file systems without
 * POSIX permissions (Windows) nothing is passed and the platform's defaults apply.
 */
final class Permissions {

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private Permissions() {}

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    static FileAttribute<?>[] fileAttributes(Path path) {
        return posix(path)
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : NONE;
    }

    /**
     * Takes every group and other bit off {@code path} (a file or directory this user owns, never followed
     * if a link): a state file restored with {@code cp}, or a directory made by hand, written by an older
     * tool. Does nothing where there is nothing to take off, nothing to narrow, or no POSIX permissions.
     */
    static void narrow(Path path) {
        if (!posix(path)) {
            return;
        }
        try {
            PosixFileAttributes attributes =
                    Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return;
            }
            Set<PosixFilePermission> now = attributes.permissions();
            Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission p : now) {
                if (p.name().startsWith("OWNER_")) {
                    owner.add(p);
                }
            }
            if (!owner.equals(now)) {
                Files.setPosixFilePermissions(path, owner);
            }
        } catch (IOException e) {
            // absent, or not this user's: nothing this can narrow
        }
    }

    static FileAttribute<?>[] directoryAttributes(Path path) {
        return posix(path)
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
                }
                : NONE;
    }
}

package io.facsimile.core.state;

import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

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

    static FileAttribute<?>[] directoryAttributes(Path path) {
        return posix(path)
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
                }
                : NONE;
    }
}

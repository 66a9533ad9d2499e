package io.facsimile.core.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replace-by-rename: content goes to a temporary file next to the target, then is renamed over the
 * target, so a reader sees the old file or the new one, never half. An archive is also forced to
 * disk before the rename, so a crash cannot leave a published artifact empty.
 */
public final class AtomicFiles {

    /** Writes the content of a temporary file that {@link #replace} then moves into place. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes a file that anyone may read (0644 where the OS has POSIX modes), such as a manifest. Not
     * forced to disk: it is a build output like the rendered files beside it, and on ext4 forcing one
     * file commits the data of every file created before it, which made a render wait for the disk
     * once per instance.
     */
    public static void writeReadable(Path target, byte[] bytes) {
        replace(target, false, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(bytes);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
        });
    }

    /**
     * Creates a temporary file in the target's directory (owner-only where the OS allows), lets
     * {@code content} fill it, forces it to disk and renames it over {@code target}. On any failure
     * the temporary file is deleted and the target is left as it was.
     */
    public static void replace(Path target, Content content) {
        replace(target, true, content);
    }

    private static void replace(Path target, boolean force, Content content) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            content.writeTo(tmp);
            if (force) {
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            move(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot write " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

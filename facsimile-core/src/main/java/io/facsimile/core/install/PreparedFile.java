package io.facsimile.core.install;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One file of a release, ready to write: rendered in memory, or a source to copy.
 *
 * @param destination relative to the release dir, with {@code /}
 * @param content the bytes to write, or {@code null} to copy {@code source}
 * @param source the file to copy, or {@code null} when {@code content} is given
 * @param permissions the POSIX permissions to give the file, or {@code null} for the default 0644
 */
public record PreparedFile(String destination, byte[] content, Path source, Set<PosixFilePermission> permissions) {

    public PreparedFile {
        Objects.requireNonNull(destination, "destination");
        if ((content == null) == (source == null)) {
            throw new IllegalArgumentException("exactly one of content and source for " + destination);
        }
        content = content == null ? null : content.clone();
        permissions = permissions == null ? null : Set.copyOf(permissions);
    }

    /** The bytes to write (a copy), or {@code null} for a file copied from {@link #source()}. */
    @Override
    public byte[] content() {
        return content == null ? null : content.clone();
    }

    /**
     * The bytes to write as a read-only view, without the copy {@link #content()} makes, or
     * {@code null} for a copied file: a render hands each file's bytes to the writer, the manifest and
     * the comparison with what is on disk.
     */
    public ByteBuffer contentBuffer() {
        return content == null ? null : ByteBuffer.wrap(content).asReadOnlyBuffer();
    }

    /** The same file with other permissions. */
    public PreparedFile withPermissions(Set<PosixFilePermission> other) {
        return new PreparedFile(destination, content, source, other);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PreparedFile that
                && destination.equals(that.destination)
                && Arrays.equals(content, that.content)
                && Objects.equals(source, that.source)
                && Objects.equals(permissions, that.permissions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, Arrays.hashCode(content), source, permissions);
    }

    @Override
    public String toString() {
        return "PreparedFile[" + destination + (source == null ? ", " + content.length + " bytes" : " <- " + source)
                + "]";
    }
}

package io.facsimile.core.deploy;

import java.util.Objects;

/**
 * What {@code lstat(2)} says of one entry below a directory on a node, for the quick check of a
 * release (as rsync's): a file whose type, mode, size, time and inode are those recorded when its
 * release was staged is taken to be unchanged without being read.
 *
 * @param type {@code f} regular file, {@code d} directory, {@code l} symbolic link, {@code o} anything else
 * @param mode the permission bits, four octal digits
 * @param size the size in bytes
 * @param mtime the modification time as the transport reads it (compared only with what the same
 *     transport recorded)
 * @param inode the inode number
 */
public record FileStat(String type, String mode, long size, String mtime, long inode) {

    // equals and hashCode spelled out: the record's own bootstrap java.lang.runtime.ObjectMethods on their first
    // call, tens of milliseconds of a fresh JVM, and every deploy compares the node's listing with its record

    @Override
    public boolean equals(Object other) {
        return other instanceof FileStat stat
                && size == stat.size
                && inode == stat.inode
                && Objects.equals(type, stat.type)
                && Objects.equals(mode, stat.mode)
                && Objects.equals(mtime, stat.mtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, mode, size, mtime, inode);
    }

    /** {@code true} for a regular file. */
    public boolean isFile() {
        return "f".equals(type);
    }

    /** {@code true} for a directory (not a link to one). */
    public boolean isDirectory() {
        return "d".equals(type);
    }
}

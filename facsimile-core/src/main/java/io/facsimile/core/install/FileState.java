package io.facsimile.core.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a file looks like on disk without reading it: kind, size, modification time, permissions,
 * and a link's target. As {@code make} and Gradle do, a file with the same size and modification
 * time (nanoseconds where the file system keeps them) is taken to have the same content.
 *
 * @param path the path, relative to the listed directory or absolute for a single file
 * @param kind {@code f} file, {@code d} directory, {@code l} link, {@code o} other, {@code -} missing
 * @param size the size in bytes (0 for a directory)
 * @param modified the modification time in nanoseconds since the epoch
 * @param permissions the POSIX permissions ({@code rw-r--r--}), or empty off POSIX
 * @param link a link's target, or empty
 */
public record FileState(String path, String kind, long size, long modified, String permissions, String link) {

    /** The state of one file or directory, not following a link; kind {@code -} when nothing is there. */
    public static FileState of(Path file) {
        try {
            boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
            return of(file.toString(), file, posix
                    ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return new FileState(file.toString(), "-", 0, 0, "", "");
        } catch (IOException e) {
            throw InstallException.io("cannot read the attributes of " + file, e);
        }
    }

    /**
     * Every file, directory and link below {@code dir} (not {@code dir} itself), sorted by relative
     * path; links are listed, not followed. Empty when {@code dir} does not exist. One {@code lstat}
     * per entry.
     */
    public static List<FileState> list(Path dir) {
        List<FileState> states = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return states;
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            list(dir, "", posix, states);
        } catch (IOException e) {
            throw InstallException.io("cannot list " + dir, e);
        }
        states.sort(Comparator.comparing(FileState::path));
        return states;
    }

    private static void list(Path dir, String prefix, boolean posix, List<FileState> states) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = prefix + entry.getFileName();
                BasicFileAttributes attributes = posix
                        ? Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        : Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                states.add(of(name, entry, attributes));
                if (attributes.isDirectory()) {
                    list(entry, name + "/", posix, states);
                }
            }
        }
    }

    /** The newest modification time of {@code states}, 0 for none. */
    public static long newest(List<FileState> states) {
        return states.stream().mapToLong(FileState::modified).max().orElse(0);
    }

    /** {@code states} as plain values, for a {@link Fingerprint}. */
    static List<Object> values(List<FileState> states) {
        List<Object> values = new ArrayList<>(states.size() * 6);
        for (FileState s : states) {
            values.add(s.path);
            values.add(s.kind);
            values.add(s.size);
            values.add(s.modified);
            values.add(s.permissions);
            values.add(s.link);
        }
        return values;
    }

    private static FileState of(String name, Path file, BasicFileAttributes attributes) throws IOException {
        String kind = attributes.isSymbolicLink() ? "l"
                : attributes.isDirectory() ? "d"
                : attributes.isRegularFile() ? "f" : "o";
        String permissions = !attributes.isSymbolicLink() && attributes instanceof PosixFileAttributes posix
                ? PosixFilePermissions.toString(posix.permissions())
                : "";
        return new FileState(name, kind, attributes.isDirectory() ? 0 : attributes.size(),
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), permissions,
                attributes.isSymbolicLink() ? Files.readSymbolicLink(file).toString() : "");
    }
}

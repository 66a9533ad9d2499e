package io.facsimile.core.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RecursiveTask;

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
     * Every file, directory and link below {@code dir} (not {@code dir} itself), depth first, each
     * directory's entries sorted by name and each directory followed by its own entries; links are
     * listed, not followed. Empty when {@code dir} does not exist. One {@code lstat} per entry, and
     * directories are listed in parallel: listing is most of an up-to-date check.
     */
    public static List<FileState> list(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new ArrayList<>();
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            return new Lister(dir, "", posix).invoke();
        } catch (UncheckedIOException e) {
            throw InstallException.io("cannot list " + dir, e.getCause());
        }
    }

    /** Lists one directory, and its subdirectories as tasks of their own. */
    private static final class Lister extends RecursiveTask<List<FileState>> {

        private final Path dir;
        private final String prefix;
        private final boolean posix;

        Lister(Path dir, String prefix, boolean posix) {
            this.dir = dir;
            this.prefix = prefix;
            this.posix = posix;
        }

        @Override
        protected List<FileState> compute() {
            List<FileState> states = new ArrayList<>();
            Map<String, Lister> subdirectories = new HashMap<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                // where the platform offers it (Linux), an entry is looked up relative to the open
                // directory (fstatat) instead of walking its whole path again
                SecureDirectoryStream<Path> relative = posix && entries instanceof SecureDirectoryStream<Path> secure
                        ? secure : null;
                for (Path entry : entries) {
                    String name = prefix + entry.getFileName();
                    BasicFileAttributes attributes = relative != null
                            ? relative.getFileAttributeView(entry.getFileName(), PosixFileAttributeView.class,
                                    LinkOption.NOFOLLOW_LINKS).readAttributes()
                            : posix
                            ? Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            : Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    states.add(of(name, entry, attributes));
                    if (attributes.isDirectory()) {
                        subdirectories.put(name, new Lister(entry, name + "/", posix));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // names within one directory: shorter to compare than whole paths, and fewer at a time
            states.sort(Comparator.comparing(FileState::path));
            if (subdirectories.isEmpty()) {
                return states;
            }
            invokeAll(subdirectories.values());
            List<FileState> tree = new ArrayList<>();
            for (FileState state : states) {
                tree.add(state);
                Lister subdirectory = subdirectories.get(state.path());
                if (subdirectory != null) {
                    tree.addAll(subdirectory.join());
                }
            }
            return tree;
        }
    }

    /** The newest modification time of {@code states}, 0 for none. */
    public static long newest(List<FileState> states) {
        return states.stream().mapToLong(FileState::modified).max().orElse(0);
    }

    /** {@code rw-r--r--} by mode bits, made once per mode: a listing has thousands of files and a few modes. */
    private static final String[] PERMISSIONS = new String[512];

    private static String text(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission permission : permissions) {
            bits |= 1 << (8 - permission.ordinal()); // OWNER_READ is bit 8, OTHERS_EXECUTE bit 0
        }
        String text = PERMISSIONS[bits];
        if (text == null) {
            text = PosixFilePermissions.toString(permissions);
            PERMISSIONS[bits] = text; // a race writes the same text twice
        }
        return text;
    }

    private static FileState of(String name, Path file, BasicFileAttributes attributes) throws IOException {
        String kind = attributes.isSymbolicLink() ? "l"
                : attributes.isDirectory() ? "d"
                : attributes.isRegularFile() ? "f" : "o";
        String permissions = !attributes.isSymbolicLink() && attributes instanceof PosixFileAttributes posix
                ? text(posix.permissions())
                : "";
        return new FileState(name, kind, attributes.isDirectory() ? 0 : attributes.size(),
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), permissions,
                attributes.isSymbolicLink() ? Files.readSymbolicLink(file).toString() : "");
    }
}

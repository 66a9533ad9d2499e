package io.facsimile.core.incremental;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * What a file looks like on disk without reading it: kind, size, modification time, permissions,
 * and a link's target. As {@code make} and Gradle do, a file with the same size and modification
 * time (nanoseconds where the file system keeps them) is taken to have the same content.
 *
 * @param path the path, relative to the listed directory or absolute for a single file
 * @param kind {@code f} file, {@code d} directory, {@code l} link, {@code o} other, {@code -} missing,
 *     {@code ?} changed while it was read ({@link #changedWhileRead})
 * @param size the size in bytes (0 for a directory)
 * @param modified the modification time in nanoseconds since the epoch
 * @param permissions the POSIX permissions ({@code rw-r--r--}), or empty off POSIX
 * @param link a link's target, or empty
 */
public record FileState(String path, String kind, long size, long modified, String permissions, String link) {

    /** The kind of {@link #changedWhileRead}: no file on disk has it. */
    static final String CHANGED_WHILE_READ = "?";

    /**
     * How far the time the kernel gives a change may lag the clock read before it: file times come from a
     * coarse clock, up to a tick (1–10 ms) behind.
     */
    private static final long COARSE_CLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * The state of {@code file} that a reader may record after reading it: {@link #of} when its status has
     * not changed since {@code readFrom} (nanoseconds since the epoch, taken before it was read), else
     * {@link #changedWhileRead}, since the state now may be of a change made after the read. A directory
     * is taken as it is now. The status change time ({@code ctime}) is asked, which no user command sets
     * back; the modification time where the file system has none.
     */
    public static FileState ofWhatWasRead(Path file, long readFrom) {
        BasicFileAttributes attributes;
        try {
            attributes = attributes(file);
        } catch (NoSuchFileException e) {
            return absent(file);
        } catch (IOException e) {
            throw IncrementalException.broken("cannot read the attributes of " + file, e);
        }
        // others write in the directories watched (a resolver its metadata, a build target/) at any time:
        // one whose status changed during every render would have it render every time
        if (attributes.isDirectory()) {
            return of(file, attributes);
        }
        // the state is read first, its change time after: a change between the two shows in the time
        FileTime changed;
        try {
            changed = (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            changed = attributes.lastModifiedTime();
        } catch (IOException e) {
            return changedWhileRead(file); // gone or replaced since its state was read
        }
        return changed.to(TimeUnit.NANOSECONDS) >= readFrom - COARSE_CLOCK_NANOS
                ? changedWhileRead(file)
                : of(file, attributes);
    }

    /** A state no file has: {@code file} changed while it was read, and is never found as it was. */
    static FileState changedWhileRead(Path file) {
        return new FileState(file.toString(), CHANGED_WHILE_READ, 0, 0, "", "");
    }

    /** The state of one file or directory, not following a link; kind {@code -} when nothing is there. */
    public static FileState of(Path file) {
        try {
            return of(file, attributes(file));
        } catch (NoSuchFileException e) {
            return absent(file);
        } catch (IOException e) {
            throw IncrementalException.broken("cannot read the attributes of " + file, e);
        }
    }

    /** The attributes of {@code file} a state is made of, not following a link: POSIX ones where there are. */
    private static BasicFileAttributes attributes(Path file) throws IOException {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileState of(Path file, BasicFileAttributes attributes) {
        try {
            return of(file.toString(), file, attributes);
        } catch (NoSuchFileException e) {
            return absent(file); // a link removed before it was read
        } catch (IOException e) {
            throw IncrementalException.broken("cannot read the attributes of " + file, e);
        }
    }

    /** The state of nothing at {@code file}. */
    private static FileState absent(Path file) {
        return new FileState(file.toString(), "-", 0, 0, "", "");
    }

    /**
     * Every file, directory and link below {@code dir} (not {@code dir} itself), depth first, each
     * directory's entries sorted by name and each directory followed by its own entries; links are
     * listed, not followed, except {@code dir} itself when it is one. Empty when {@code dir} does not
     * exist. Asked of GNU {@code find} in one process where it answers ({@link FindWalk}), else
     * one {@code lstat} per entry, directories listed in parallel: listing is most of an up-to-date check.
     */
    public static List<FileState> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix && dir.getFileSystem() == FileSystems.getDefault()) {
            Optional<List<FileState>> found = FindWalk.list(dir);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return walk(dir, posix);
    }

    /** {@link #list} by Java alone: one {@code lstat} per entry, directories listed in parallel. */
    static List<FileState> walk(Path dir, boolean posix) {
        try {
            return new Lister(dir, "", posix).invoke();
        } catch (UncheckedIOException e) {
            throw IncrementalException.broken("cannot list " + dir, e.getCause());
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
            List<FileState> entries = entries(dir, posix);
            List<Lister> subdirectories = new ArrayList<>();
            for (FileState entry : entries) {
                if (entry.kind().equals("d")) {
                    subdirectories.add(new Lister(dir.resolve(entry.path()), prefix + entry.path() + "/", posix));
                }
            }
            invokeAll(subdirectories);
            List<FileState> tree = new ArrayList<>();
            Iterator<Lister> subdirectory = subdirectories.iterator();
            for (FileState entry : entries) {
                tree.add(prefix.isEmpty() ? entry : entry.named(prefix + entry.path()));
                if (entry.kind().equals("d")) {
                    tree.addAll(subdirectory.next().join());
                }
            }
            return tree;
        }
    }

    /**
     * The entries of one directory, by their names alone, sorted by name: one {@code lstat} each,
     * relative to the open directory ({@code fstatat}) where the platform offers it (Linux), instead
     * of walking the whole path again. An entry (or the directory) removed while it is read is left
     * out, as if it had gone a moment earlier: an editor's short-lived files must not fail a build.
     *
     * @throws UncheckedIOException when the directory cannot be read
     */
    static List<FileState> entries(Path dir, boolean posix) {
        List<FileState> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            SecureDirectoryStream<Path> relative =
                    posix && stream instanceof SecureDirectoryStream<Path> secure ? secure : null;
            for (Path entry : stream) {
                Path name = entry.getFileName();
                try {
                    BasicFileAttributes attributes = relative != null
                            ? relative.getFileAttributeView(
                                            name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                    .readAttributes()
                            : posix
                                    ? Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                                    : Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    entries.add(of(name.toString(), entry, attributes));
                } catch (NoSuchFileException gone) {
                    // removed between the directory read and its lstat
                }
            }
        } catch (NoSuchFileException gone) {
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.comparing(FileState::path));
        return entries;
    }

    // equals and hashCode spelled out: the record's own bootstrap java.lang.runtime.ObjectMethods on their first
    // call, tens of milliseconds of a fresh JVM, and a stamp's check compares the states of the files it watches

    @Override
    public boolean equals(Object other) {
        return other instanceof FileState state
                && size == state.size
                && modified == state.modified
                && Objects.equals(path, state.path)
                && Objects.equals(kind, state.kind)
                && Objects.equals(permissions, state.permissions)
                && Objects.equals(link, state.link);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, size, modified, permissions, link);
    }

    /** This state under another path. */
    FileState named(String path) {
        return new FileState(path, kind, size, modified, permissions, link);
    }

    /** The newest modification time of {@code states}, 0 for none. */
    public static long newest(List<FileState> states) {
        if (states.isEmpty()) {
            return 0;
        }
        long newest = Long.MIN_VALUE; // a loop, not a stream: some twenty classes less for a fresh JVM to load
        for (FileState state : states) {
            newest = Math.max(newest, state.modified());
        }
        return newest;
    }

    /** {@code rw-r--r--} by mode bits, made once per mode: a listing has thousands of files and a few modes. */
    private static final String[] PERMISSIONS = new String[512];

    private static String text(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission permission : permissions) {
            bits |= 1 << (8 - permission.ordinal()); // OWNER_READ is bit 8, OTHERS_EXECUTE bit 0
        }
        return permissions(bits);
    }

    /** {@code rw-r--r--} of the permission bits of a mode ({@code 0644}), as {@link PosixFilePermissions#toString}. */
    static String permissions(int bits) {
        String text = PERMISSIONS[bits];
        if (text == null) {
            char[] chars = new char[9];
            for (int i = 0; i < 9; i++) {
                chars[i] = (bits & (1 << (8 - i))) != 0 ? "rwx".charAt(i % 3) : '-';
            }
            text = new String(chars);
            PERMISSIONS[bits] = text; // a race writes the same text twice
        }
        return text;
    }

    private static FileState of(String name, Path file, BasicFileAttributes attributes) throws IOException {
        String kind = attributes.isSymbolicLink()
                ? "l"
                : attributes.isDirectory() ? "d" : attributes.isRegularFile() ? "f" : "o";
        String permissions = !attributes.isSymbolicLink() && attributes instanceof PosixFileAttributes posix
                ? text(posix.permissions())
                : "";
        return new FileState(
                name,
                kind,
                attributes.isDirectory() ? 0 : attributes.size(),
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                permissions,
                attributes.isSymbolicLink() ? Files.readSymbolicLink(file).toString() : "");
    }
}

package io.facsimile.core.deploy.local;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A directory below the deploy home, opened from the home one name at a time without following a link
 * ({@code openat} with {@code O_NOFOLLOW}), and the directories below it as they are reached. Files are
 * created, opened, changed and removed relative to their open directory, so a directory of the way that a
 * local user swaps for a link after the deploy checked it fails the operation ({@code ELOOP}) instead of
 * leading it outside the home; so does a file swapped for a link. A directory this tree creates is made by
 * path (Java has no {@code mkdirat}) and then opened relative to its parent: one that the swap sent
 * elsewhere is not found there, and the operation fails as well, having made at most an empty directory.
 *
 * <p>Where the platform has no such directories (not Linux), the same operations go by path, each of them
 * not following a link in its last name, as before. Safe for the threads of one bulk operation.
 */
final class OpenTree implements AutoCloseable {

    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path home;
    /** The directory below the home the relative paths of the operations start from ("" for the home). */
    private final String base;
    /** Directory relative to the home ("" for the home) → its open stream; empty where the platform has none. */
    private final Map<String, SecureDirectoryStream<Path>> open = new ConcurrentHashMap<>();

    private final List<SecureDirectoryStream<Path>> closing = new ArrayList<>();
    private final boolean secure;

    private OpenTree(Path home, String base, boolean secure) {
        this.home = home;
        this.base = base;
        this.secure = secure;
    }

    /**
     * Opens {@code relative}, a directory below {@code home} (empty for the home itself), following no link
     * below the home; with {@code create}, its missing directories are made on the way.
     *
     * @throws IOException also when a name on the way is a link ({@code ELOOP}) or no directory
     */
    static OpenTree open(Path home, Path relative, boolean create) throws IOException {
        String base = relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
        DirectoryStream<Path> top = Files.newDirectoryStream(home);
        if (!(top instanceof SecureDirectoryStream<Path> at)) {
            top.close();
            if (create) {
                Files.createDirectories(home.resolve(relative));
            }
            return new OpenTree(home, base, false);
        }
        OpenTree tree = new OpenTree(home, base, true);
        tree.closing.add(at);
        tree.open.put("", at);
        try {
            tree.directory(base, create);
        } catch (IOException | RuntimeException e) {
            tree.close();
            throw e;
        }
        return tree;
    }

    /** The home itself, below which every path is taken relative to it. */
    static OpenTree home(Path home) throws IOException {
        return open(home, home.relativize(home), false);
    }

    /** As {@link #open(Path, Path, boolean)}, {@code relative} existing already. */
    static OpenTree open(Path home, Path relative) throws IOException {
        return open(home, relative, false);
    }

    /** The path of {@code rel}, relative to the opened directory, for messages. */
    Path path(String rel) {
        return home.resolve(full(rel));
    }

    /** {@code rel} relative to the home. */
    private String full(String rel) {
        return base.isEmpty() ? rel : base + "/" + rel;
    }

    /**
     * Creates the file {@code rel} ({@code O_CREAT|O_EXCL}), its missing directories first, and opens it for
     * writing. With {@code permissions} (none where the file system has no POSIX permissions) it is created
     * with them, which the umask can only narrow, never widen for a moment, and set to exactly them after
     * where the umask did narrow them.
     */
    SeekableByteChannel create(String rel, Set<PosixFilePermission> permissions) throws IOException {
        Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        FileAttribute<?>[] attributes = permissions == null
                ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        SeekableByteChannel created;
        if (secure) {
            options.add(LinkOption.NOFOLLOW_LINKS);
            created = directory(parentOf(full(rel)), true).newByteChannel(nameOf(rel), options, attributes);
        } else {
            Files.createDirectories(path(rel).getParent());
            created = Files.newByteChannel(path(rel), options, attributes);
        }
        if (permissions != null && Umask.narrows(permissions)) {
            try {
                setPermissions(rel, permissions);
            } catch (IOException | RuntimeException e) {
                created.close();
                throw e;
            }
        }
        return created;
    }

    /** Opens the file {@code rel} for appending, creating it (and its missing directories) when absent. */
    SeekableByteChannel append(String rel) throws IOException {
        Set<OpenOption> options =
                new HashSet<>(List.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (!secure) {
            Files.createDirectories(path(rel).getParent());
            return Files.newByteChannel(path(rel), options);
        }
        return directory(parentOf(full(rel)), true).newByteChannel(nameOf(rel), options);
    }

    /** Opens the file {@code rel} for reading; a link there is not followed. */
    SeekableByteChannel read(String rel) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        if (!secure) {
            return Files.newByteChannel(path(rel), options);
        }
        return directory(parentOf(full(rel)), false).newByteChannel(nameOf(rel), options);
    }

    /**
     * The attributes of {@code rel}, a link's own: {@link PosixFileAttributes}, with the permissions, where the
     * file system has them.
     */
    BasicFileAttributes attributes(String rel) throws IOException {
        PosixFileAttributeView posix = posix(rel);
        return posix != null ? posix.readAttributes() : basic(rel).readAttributes();
    }

    /** Sets the permissions of {@code rel}, which is no link; nothing where the file system has none. */
    void setPermissions(String rel, Set<PosixFilePermission> permissions) throws IOException {
        PosixFileAttributeView view = posix(rel);
        if (view != null) {
            view.setPermissions(permissions);
        }
    }

    /**
     * Sets the modification time of {@code rel}, which is no link, and its access time ({@code null} keeps
     * it, which costs a look at it first).
     */
    void setTimes(String rel, FileTime modified, FileTime accessed) throws IOException {
        basic(rel).setTimes(modified, accessed, null);
    }

    /** Removes the file (or link, not followed) {@code rel}; nothing when it is absent. */
    void deleteFile(String rel) throws IOException {
        if (!secure) {
            Files.deleteIfExists(path(rel));
            return;
        }
        try {
            directory(parentOf(full(rel)), false).deleteFile(nameOf(rel));
        } catch (NoSuchFileException e) {
            // gone: what was asked for
        }
    }

    /** Renames {@code from} to {@code to} in the same tree atomically, replacing {@code to}. */
    void rename(String from, String to) throws IOException {
        if (!secure) {
            Files.move(path(from), path(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        directory(parentOf(full(from)), false).move(nameOf(from), directory(parentOf(full(to)), false), nameOf(to));
    }

    private PosixFileAttributeView posix(String rel) throws IOException {
        return secure
                ? directory(parentOf(full(rel)), false)
                        .getFileAttributeView(nameOf(rel), PosixFileAttributeView.class, NO_FOLLOW)
                : Files.getFileAttributeView(path(rel), PosixFileAttributeView.class, NO_FOLLOW);
    }

    private BasicFileAttributeView basic(String rel) throws IOException {
        return secure
                ? directory(parentOf(full(rel)), false)
                        .getFileAttributeView(nameOf(rel), BasicFileAttributeView.class, NO_FOLLOW)
                : Files.getFileAttributeView(path(rel), BasicFileAttributeView.class, NO_FOLLOW);
    }

    /**
     * The open directory {@code rel}, each name on the way opened relative to the one before without
     * following a link; created by path first where it is missing and {@code create} is set.
     */
    private SecureDirectoryStream<Path> directory(String rel, boolean create) throws IOException {
        SecureDirectoryStream<Path> dir = open.get(rel);
        return dir != null ? dir : opened(rel, create);
    }

    private synchronized SecureDirectoryStream<Path> opened(String rel, boolean create) throws IOException {
        SecureDirectoryStream<Path> dir = open.get(rel);
        if (dir != null) {
            return dir;
        }
        int slash = rel.lastIndexOf('/');
        SecureDirectoryStream<Path> parent = directory(slash < 0 ? "" : rel.substring(0, slash), create);
        Path name = home.getFileSystem().getPath(rel.substring(slash + 1));
        try {
            dir = parent.newDirectoryStream(name, NO_FOLLOW);
        } catch (NoSuchFileException e) {
            if (!create) {
                throw e;
            }
            try {
                Files.createDirectory(home.resolve(rel));
            } catch (FileAlreadyExistsException made) {
                // made meanwhile by another thread of the same operation, or there already
            }
            try {
                dir = parent.newDirectoryStream(name, NO_FOLLOW);
            } catch (NoSuchFileException elsewhere) {
                throw new FileSystemException(
                        home.resolve(rel).toString(),
                        null,
                        "made but not found in its open parent: a directory on the way was replaced meanwhile");
            }
        }
        closing.add(dir);
        open.put(rel, dir);
        return dir;
    }

    private Path nameOf(String rel) {
        return home.getFileSystem().getPath(rel.substring(rel.lastIndexOf('/') + 1));
    }

    private static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failed = null;
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        closing.clear();
        open.clear();
        if (failed != null) {
            throw failed;
        }
    }
}

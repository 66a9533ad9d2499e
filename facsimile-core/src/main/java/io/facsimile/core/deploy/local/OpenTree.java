package io.facsimile.core.deploy.local;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
import org.apache.commons.io.file.PathUtils;

/**
 * A directory below the deploy home, reached from the home one name at a time without following a link,
 * and the directories below it, each opened only while it is used ({@link Dir}). Files are created,
 * opened, changed, renamed and removed relative to their open directory ({@code openat},
 * {@code O_NOFOLLOW}, {@code renameat}, {@code unlinkat}), so a directory on the way that a local user
 * swaps for a link after the deploy checked it fails the operation instead of leading it outside the home;
 * so does a file swapped for a link. A directory is opened only once {@code lstat} found one there, as
 * {@code name/.}, and must then be the very directory {@code lstat} found (its device and inode): a FIFO
 * swapped in fails at once instead of blocking the open, a link swapped in between fails the comparison.
 * A directory this tree makes is made by path (Java has no {@code mkdirat}) and then opened so: one that
 * a swap sent elsewhere is not the one found, and the operation fails, having made one empty directory.
 *
 * <p>Where the platform has no such directories (Java's {@link SecureDirectoryStream}: Linux), the same
 * operations go by path, each not following a link in its last name, as before.
 */
final class OpenTree implements AutoCloseable {

    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** A link met where the tree follows none: planted there, or swapped in after a look. */
    static final class LinkMet extends FileSystemException {
        private static final long serialVersionUID = 1L;

        LinkMet(Path file, String reason) {
            super(file.toString(), null, reason);
        }
    }

    /** Something other than a regular file where one is read or written: a FIFO (whose open would block), a device. */
    static final class NotRegularFile extends FileSystemException {
        private static final long serialVersionUID = 1L;

        NotRegularFile(Path file) {
            super(file.toString(), null, "is not a regular file");
        }
    }

    private final Path home;
    /** The directory below the home the relative paths of the operations start from ("" for the home). */
    private final String base;
    /** The home's open directory; {@code null} where the platform has none. */
    private final SecureDirectoryStream<Path> top;

    private OpenTree(Path home, String base, SecureDirectoryStream<Path> top) {
        this.home = home;
        this.base = base;
        this.top = top;
    }

    /**
     * Opens {@code relative}, a directory below {@code home} (empty for the home itself), following no link
     * below the home; with {@code create}, the home and the missing directories on the way are made.
     *
     * @throws IOException also when a name on the way is a link ({@code ELOOP}) or no directory
     */
    static OpenTree open(Path home, Path relative, boolean create) throws IOException {
        String base = relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
        if (create) {
            Files.createDirectories(home);
        }
        // home/.: a FIFO there fails at once instead of blocking the open
        DirectoryStream<Path> stream = Files.newDirectoryStream(home.resolve("."));
        if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
            stream.close();
            if (create) {
                Files.createDirectories(home.resolve(relative));
            }
            return new OpenTree(home, base, null);
        }
        OpenTree tree = new OpenTree(home, base, secure);
        try {
            tree.dir("", create).close(); // reachable, or made, now
        } catch (IOException | RuntimeException e) {
            tree.close();
            throw e;
        }
        return tree;
    }

    /** The home itself, every path taken relative to it; made when missing and {@code create} is set. */
    static OpenTree home(Path home, boolean create) throws IOException {
        return open(home, home.relativize(home), create);
    }

    /** As {@link #open(Path, Path, boolean)}, {@code relative} existing already. */
    static OpenTree open(Path home, Path relative) throws IOException {
        return open(home, relative, false);
    }

    /**
     * Opens the directory {@code rel} (relative to the opened directory; "" for itself), each name on the way
     * checked as the class says; with {@code create}, missing directories are made. The caller closes it.
     */
    Dir dir(String rel, boolean create) throws IOException {
        String path = full(rel);
        if (top == null) {
            if (create) {
                Files.createDirectories(home.resolve(path));
            }
            return new Dir(path, null);
        }
        SecureDirectoryStream<Path> dir = top;
        try {
            if (!path.isEmpty()) {
                String done = "";
                for (String name : path.split("/", -1)) {
                    done = done.isEmpty() ? name : done + "/" + name;
                    SecureDirectoryStream<Path> below = child(dir, done, name, create);
                    if (dir != top) {
                        dir.close();
                    }
                    dir = below;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (dir != top) {
                dir.close();
            }
            throw e;
        }
        return new Dir(path, dir == top ? null : dir);
    }

    /** The directory {@code name} of {@code parent} (at {@code path} below the home), checked, made if asked. */
    private SecureDirectoryStream<Path> child(
            SecureDirectoryStream<Path> parent, String path, String name, boolean create) throws IOException {
        checkName(name, path);
        Path entry = home.getFileSystem().getPath(name);
        BasicFileAttributes found;
        try {
            found = parent.getFileAttributeView(entry, BasicFileAttributeView.class, NO_FOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            if (!create) {
                throw e;
            }
            try {
                Files.createDirectory(home.resolve(path));
            } catch (FileAlreadyExistsException made) {
                // made meanwhile by another thread of the same operation, or there already
            }
            try {
                found = parent.getFileAttributeView(entry, BasicFileAttributeView.class, NO_FOLLOW)
                        .readAttributes();
            } catch (NoSuchFileException elsewhere) {
                throw new LinkMet(
                        home.resolve(path),
                        "made, but not found in its open parent: a directory on the way was replaced meanwhile");
            }
        }
        return checked(parent, entry, found, home.resolve(path));
    }

    /**
     * The directory {@code name} of {@code parent}, opened as the class says; {@code shown} names it in
     * failures.
     *
     * @throws IOException also when it is a link ({@link LinkMet}), no directory
     *     ({@link NotDirectoryException}), or was replaced between the look and the open
     */
    static SecureDirectoryStream<Path> openChecked(SecureDirectoryStream<Path> parent, Path name, Path shown)
            throws IOException {
        BasicFileAttributes found = parent.getFileAttributeView(name, BasicFileAttributeView.class, NO_FOLLOW)
                .readAttributes();
        return checked(parent, name, found, shown);
    }

    private static SecureDirectoryStream<Path> checked(
            SecureDirectoryStream<Path> parent, Path name, BasicFileAttributes found, Path shown) throws IOException {
        if (found.isSymbolicLink()) {
            throw new LinkMet(shown, "is a symbolic link");
        }
        if (!found.isDirectory()) {
            throw new NotDirectoryException(shown.toString());
        }
        // "name/." is no FIFO to block on; a link swapped in for name since is followed here, and then caught
        SecureDirectoryStream<Path> opened = parent.newDirectoryStream(name.resolve("."));
        Object key = opened.getFileAttributeView(BasicFileAttributeView.class)
                .readAttributes()
                .fileKey();
        if (key == null || !key.equals(found.fileKey())) {
            opened.close();
            throw new LinkMet(shown, "was replaced meanwhile (by a symbolic link?)");
        }
        return opened;
    }

    /** {@code rel} relative to the home. */
    private String full(String rel) {
        return base.isEmpty() ? rel : rel.isEmpty() ? base : base + "/" + rel;
    }

    private void checkName(String name, String path) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a path below " + home + ": " + path);
        }
    }

    /** The parent of a relative path, "" for a name alone. */
    static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** The last name of a relative path. */
    static String nameOf(String rel) {
        return rel.substring(rel.lastIndexOf('/') + 1);
    }

    @Override
    public void close() throws IOException {
        if (top != null) {
            top.close();
        }
    }

    /**
     * One open directory of the tree (the home's own, or below it): the operations on the files in it, by
     * name. Safe for the threads of one operation; closed by whoever opened it.
     */
    final class Dir implements AutoCloseable {

        private final String path;
        /** {@code null} for the home (the tree's top, closed with the tree) or where the platform has none. */
        private final SecureDirectoryStream<Path> own;
        /** Permissions asked for → whether a file created here with them got exactly them. */
        private final Map<Set<PosixFilePermission>, Boolean> exact = new ConcurrentHashMap<>();

        private Dir(String path, SecureDirectoryStream<Path> own) {
            this.path = path;
            this.own = own;
        }

        private SecureDirectoryStream<Path> stream() {
            return own != null ? own : top;
        }

        private Path entry(String name) {
            checkName(name, file(name).toString());
            return home.getFileSystem().getPath(name);
        }

        /** The path of {@code name} in this directory, for messages and where the platform has no open ones. */
        Path file(String name) {
            return home.resolve(path.isEmpty() ? name : path + "/" + name);
        }

        /**
         * Creates the file {@code name} ({@code O_CREAT|O_EXCL}) and opens it for writing. With {@code
         * permissions} (none where the file system has no POSIX permissions) it is created with them, which the
         * umask or a default ACL can only narrow, never widen for a moment, and set to exactly them after where
         * it got fewer.
         */
        SeekableByteChannel create(String name, Set<PosixFilePermission> permissions) throws IOException {
            Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            FileAttribute<?>[] attributes = permissions == null
                    ? new FileAttribute<?>[0]
                    : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
            SeekableByteChannel created;
            if (top == null) {
                created = Files.newByteChannel(file(name), options, attributes);
            } else {
                options.add(LinkOption.NOFOLLOW_LINKS);
                created = stream().newByteChannel(entry(name), options, attributes);
            }
            if (permissions != null && !Boolean.TRUE.equals(exact.get(permissions))) {
                try {
                    // the umask, or a default ACL of this directory, may have narrowed them: the same for every
                    // file created here with the same ones, so looked at once
                    boolean got = permissions.equals(permissions(name));
                    if (!got) {
                        setPermissions(name, permissions);
                    }
                    exact.put(permissions, got);
                } catch (IOException | RuntimeException e) {
                    created.close();
                    throw e;
                }
            }
            return created;
        }

        /** As {@link #create}, replacing a file (or link, not followed) of that name. */
        SeekableByteChannel createReplacing(String name, Set<PosixFilePermission> permissions) throws IOException {
            try {
                return create(name, permissions);
            } catch (FileAlreadyExistsException e) {
                deleteFile(name);
                return create(name, permissions);
            }
        }

        /** The names of the entries of this directory, read before anything is done with them. */
        List<String> names() throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries =
                    top == null ? Files.newDirectoryStream(file(".")) : stream().newDirectoryStream(dot())) {
                for (Path entry : entries) {
                    names.add(entry.getFileName().toString());
                }
            }
            return names;
        }

        /** This directory again, as a stream of its own: "." relative to itself. */
        private Path dot() {
            return home.getFileSystem().getPath(".");
        }

        /** Removes the directory {@code name} with everything below it, following no link (a link is removed). */
        void removeTree(String name) throws IOException {
            if (top == null) {
                PathUtils.deleteDirectory(file(name));
                return;
            }
            TreeRemoval.remove(stream(), entry(name), file(name));
        }

        /**
         * Opens the file {@code name} for appending, creating it when absent; a link there is not followed,
         * and anything but a regular file (a FIFO, whose open would block) is refused.
         */
        SeekableByteChannel append(String name) throws IOException {
            try {
                regularFile(name);
            } catch (NoSuchFileException absent) {
                // made by the open
            }
            Set<OpenOption> options = Set.of(
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            return top == null
                    ? Files.newByteChannel(file(name), options)
                    : stream().newByteChannel(entry(name), options);
        }

        /** Opens the file {@code name} for reading; a link there is not followed. */
        SeekableByteChannel read(String name) throws IOException {
            Set<OpenOption> options = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            return top == null
                    ? Files.newByteChannel(file(name), options)
                    : stream().newByteChannel(entry(name), options);
        }

        /**
         * The attributes of {@code name}, a link's own: {@link PosixFileAttributes}, with the permissions,
         * where the file system has them.
         */
        BasicFileAttributes attributes(String name) throws IOException {
            PosixFileAttributeView posix = posix(name);
            return posix != null ? posix.readAttributes() : basic(name).readAttributes();
        }

        /**
         * The attributes of {@code name}, which must be a regular file: a link fails ({@link LinkMet}), and so
         * does anything else ({@link NotRegularFile}), before an open of it could follow it or block.
         */
        BasicFileAttributes regularFile(String name) throws IOException {
            BasicFileAttributes attributes = attributes(name);
            if (attributes.isSymbolicLink()) {
                throw new LinkMet(file(name), "is a symbolic link");
            }
            if (!attributes.isRegularFile()) {
                throw new NotRegularFile(file(name));
            }
            return attributes;
        }

        private Set<PosixFilePermission> permissions(String name) throws IOException {
            PosixFileAttributeView view = posix(name);
            return view == null ? null : view.readAttributes().permissions();
        }

        /** Sets the permissions of {@code name}, which is no link; nothing where the file system has none. */
        void setPermissions(String name, Set<PosixFilePermission> permissions) throws IOException {
            PosixFileAttributeView view = posix(name);
            if (view != null) {
                view.setPermissions(permissions);
            }
        }

        /**
         * Sets the modification time of {@code name}, which is no link, and its access time ({@code null}
         * keeps it, which costs a look at it first).
         */
        void setTimes(String name, FileTime modified, FileTime accessed) throws IOException {
            basic(name).setTimes(modified, accessed, null);
        }

        /** Removes the file (or link, not followed) {@code name}; nothing when it is absent. */
        void deleteFile(String name) throws IOException {
            if (top == null) {
                Files.deleteIfExists(file(name));
                return;
            }
            try {
                stream().deleteFile(entry(name));
            } catch (NoSuchFileException e) {
                // gone: what was asked for
            }
        }

        /** Renames {@code name} (a file or directory) to {@code target} of {@code to} atomically, replacing it. */
        void move(String name, Dir to, String target) throws IOException {
            if (top == null) {
                Files.move(
                        file(name),
                        to.file(target),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            stream().move(entry(name), to.stream(), to.entry(target));
        }

        private PosixFileAttributeView posix(String name) throws IOException {
            return top == null
                    ? Files.getFileAttributeView(file(name), PosixFileAttributeView.class, NO_FOLLOW)
                    : stream().getFileAttributeView(entry(name), PosixFileAttributeView.class, NO_FOLLOW);
        }

        private BasicFileAttributeView basic(String name) throws IOException {
            return top == null
                    ? Files.getFileAttributeView(file(name), BasicFileAttributeView.class, NO_FOLLOW)
                    : stream().getFileAttributeView(entry(name), BasicFileAttributeView.class, NO_FOLLOW);
        }

        @Override
        public void close() throws IOException {
            if (own != null) {
                own.close();
            }
        }
    }
}

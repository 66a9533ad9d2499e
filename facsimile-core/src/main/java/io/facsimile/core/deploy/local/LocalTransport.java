package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.ExecResult;
import io.facsimile.core.deploy.FileStat;
import io.facsimile.core.deploy.Layout;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.Transport;
import io.facsimile.core.deploy.TransportFactory;
import io.facsimile.core.release.FileMode;
import io.facsimile.core.release.FileSha256;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link Transport} to a directory on this machine, on {@code java.nio}: uploads are a copy to a
 * temporary file and an atomic rename, unchanged files are copied on the machine (each release
 * has its own inodes), POSIX modes are kept, commands run through {@code sh -c}, and the lock is a
 * {@link HomeLock}: {@code flock(2)} on {@code home/.facsimile-deploy.lock}, as over SSH.
 */
public final class LocalTransport implements Transport {

    private final Node node;
    private final Path home;

    /**
     * A transport to {@code home}, which is created when it does not exist.
     *
     * @param node the node in reports, normally {@link Node#LOCAL}
     * @param home the deploy home, an absolute path
     */
    public LocalTransport(Node node, Path home) {
        this.node = node;
        this.home = home.toAbsolutePath().normalize();
    }

    /**
     * The destination directory of a local deploy. A caller-given {@code destdir} is a staging root in
     * the manner of {@code make DESTDIR=}: the deploy goes to {@code destdir/home} (an absolute home
     * loses its leading {@code /}), or to {@code destdir} itself when {@code home} is absent. Without a
     * destdir, {@code home} is required; a relative home is resolved against {@code basedir}.
     *
     * @param home {@code deploy.home}, or {@code null}
     * @param destdir the caller's destination, or {@code null}
     * @param basedir the directory a relative {@code home} is relative to (the project basedir)
     */
    public static Path home(String home, Path destdir, Path basedir) {
        if (destdir != null) {
            if (home == null || home.isBlank()) {
                return destdir.toAbsolutePath().normalize();
            }
            Path h = Path.of(home);
            Path rel = h.getRoot() == null ? h : h.getRoot().relativize(h);
            return destdir.resolve(rel).toAbsolutePath().normalize();
        }
        if (home == null || home.isBlank()) {
            throw new DeployException("deploy.home is required for a local deploy: set deploy.home in the "
                    + "definition or give a destination directory (destdir)");
        }
        return basedir.resolve(home).toAbsolutePath().normalize();
    }

    /**
     * A factory for the local node deploying into {@code home}.
     *
     * @throws DeployException when asked for a remote node: that needs the SSH transport
     */
    public static TransportFactory factory(Path home) {
        return n -> {
            if (!n.isLocal()) {
                throw new DeployException("node " + n.name() + " of target " + n.target()
                        + " is remote; the local transport deploys to this machine only");
            }
            return new LocalTransport(n, home);
        };
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public String describeHome() {
        return home.toString();
    }

    /** The deploy home. */
    public Path home() {
        return home;
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public List<String> list(String dir) {
        Path d = resolveAll(dir);
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw DeployException.io("cannot list " + d, e);
        }
    }

    @Override
    public Manifest scan(String dir, Predicate<String> include) {
        Path root = resolveAll(dir);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return new Manifest(List.of());
        }
        List<ManifestEntry> entries = new ArrayList<>();
        try (OpenTree tree = OpenTree.open(home, home.relativize(root))) {
            scan(tree, "", include, entries);
        } catch (IOException e) {
            throw failure("cannot scan " + root, e);
        }
        return new Manifest(entries);
    }

    /**
     * Adds the regular files below {@code rel} that {@code include} takes, hashed, to {@code entries}: each
     * directory reached and each file opened as {@link OpenTree} does, so that neither a directory nor a file
     * swapped for a link after it was listed leads the scan outside the home.
     */
    private static void scan(OpenTree tree, String rel, Predicate<String> include, List<ManifestEntry> entries)
            throws IOException {
        List<String> directories = new ArrayList<>();
        try (OpenTree.Dir dir = tree.dir(rel, false)) {
            List<String> names = dir.names();
            names.sort(null);
            for (String name : names) {
                String path = rel.isEmpty() ? name : rel + "/" + name;
                BasicFileAttributes attributes;
                try {
                    attributes = dir.attributes(name);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (attributes.isDirectory()) {
                    if (include.test(path + "/")) {
                        directories.add(path);
                    }
                } else if (attributes.isRegularFile() && include.test(path)) {
                    String mode = attributes instanceof PosixFileAttributes posix
                            ? FileMode.of(posix.permissions()).octal()
                            : FileMode.FILE.octal();
                    try (SeekableByteChannel content = dir.read(name)) {
                        entries.add(new ManifestEntry(
                                path,
                                attributes.size(),
                                mode,
                                FileSha256.of(content).sha256(),
                                false));
                    }
                }
            }
        }
        for (String below : directories) {
            scan(tree, below, include, entries);
        }
    }

    /** See {@link LocalListing}. */
    @Override
    public Map<String, FileStat> stat(String dir) {
        Path root = resolveAll(dir);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return new TreeMap<>();
        }
        return LocalListing.of(root);
    }

    @Override
    public void makeDirs(String dir) {
        Path d = resolveAll(dir);
        try {
            OpenTree.open(home, home.relativize(d), true).close();
        } catch (IOException e) {
            throw failure("cannot create directory " + d, e);
        }
    }

    @Override
    public void upload(String path, InputStream content, long size, String mode) {
        Path target = resolve(path);
        String rel = relative(home, target);
        String name = OpenTree.nameOf(rel);
        String tmp = Layout.temporaryName();
        // from the home down, missing directories made on the way, each opened without following a link
        try (OpenTree tree = OpenTree.home(home, true);
                OpenTree.Dir dir = tree.dir(OpenTree.parentOf(rel), true)) {
            try {
                // Created with its mode (the umask may narrow it, never widen it), then set exactly.
                try (OutputStream out = Channels.newOutputStream(dir.create(tmp, permissionsOrNone(target, mode)))) {
                    content.transferTo(out);
                }
                dir.move(tmp, dir, name);
            } catch (IOException e) {
                deleteQuietly(dir, tmp);
                throw e;
            }
        } catch (IOException e) {
            throw failure("cannot write " + target, e);
        }
    }

    /**
     * Copies the new files into {@code dir} (just created empty, or recycled) on a few threads: each file created
     * with its mode ({@code open(O_CREAT|O_EXCL)}, never wider for a moment), its time kept. No temporary name:
     * nothing in {@code dir} is live until the release is renamed into place. Written relative to the open
     * directories of {@code dir} ({@link OpenTree}): a directory below it swapped for a link fails the upload.
     */
    @Override
    public void uploadAll(String dir, Path tree, List<ManifestEntry> files, Progress progress) {
        Path root = resolveAll(dir);
        try (OpenTree into = OpenTree.open(home, home.relativize(root), true)) {
            Parallel.forEach(Chunk.of(files, ManifestEntry::path), files.size(), chunk -> {
                try (OpenTree.Dir to = into.dir(chunk.dir(), true)) {
                    for (ManifestEntry e : chunk.items()) {
                        Path source = tree.resolve(e.path());
                        String name = OpenTree.nameOf(e.path());
                        try {
                            try (FileChannel in = FileChannel.open(
                                            source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                                    SeekableByteChannel out = to.create(name, permissionsOrNone(root, e.mode()))) {
                                transfer(in, out);
                            }
                            BasicFileAttributes times =
                                    Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                            to.setTimes(name, times.lastModifiedTime(), times.lastAccessTime());
                        } catch (IOException x) {
                            throw failure("cannot copy " + source + " to " + to.file(name), x);
                        }
                        progress.sent(e.size());
                    }
                } catch (IOException x) {
                    throw failure("cannot write " + root.resolve(chunk.dir()), x);
                }
            });
        } catch (IOException e) {
            throw failure("cannot write below " + root, e);
        }
    }

    /** The SHA-256 of each file, read on a few threads; a path that is not a regular file is left out. */
    @Override
    public Map<String, String> sha256(String dir, java.util.Collection<String> paths) {
        Path root = resolveAll(dir);
        Map<String, String> sums = new ConcurrentHashMap<>();
        try (OpenTree tree = OpenTree.open(home, home.relativize(root))) {
            Parallel.forEach(Chunk.of(List.copyOf(paths), p -> p), paths.size(), chunk -> {
                try (OpenTree.Dir in = tree.dir(chunk.dir(), false)) {
                    for (String p : chunk.items()) {
                        String name = OpenTree.nameOf(p);
                        try {
                            if (in.attributes(name).isRegularFile()) {
                                try (SeekableByteChannel content = in.read(name)) {
                                    sums.put(p, FileSha256.of(content).sha256());
                                }
                            }
                        } catch (NoSuchFileException e) {
                            // not there: left out
                        }
                    }
                } catch (NoSuchFileException | NotDirectoryException e) {
                    // no such directory: nothing in it to hash
                } catch (IOException e) {
                    throw failure("cannot read below " + root.resolve(chunk.dir()), e);
                }
            });
        } catch (NoSuchFileException | NotDirectoryException e) {
            // no such directory: nothing in it to hash
        } catch (IOException e) {
            throw failure("cannot read below " + root, e);
        }
        return sums;
    }

    /**
     * Independent copies (own inode, permissions and times kept; the owner is the deploying user's, as an
     * upload's is), on a few threads. Both trees are reached from the home one open directory at a time
     * ({@link OpenTree}): a directory of either swapped for a link after its check, or a file of the source
     * swapped for one, fails the copy naming it instead of reading or writing outside the home.
     */
    @Override
    public void copyAll(String fromDir, String toDir, List<String> paths) {
        Path from = resolveAll(fromDir);
        Path to = resolveAll(toDir);
        try (OpenTree source = OpenTree.open(home, home.relativize(from));
                OpenTree target = OpenTree.open(home, home.relativize(to), true)) {
            Parallel.forEach(Chunk.of(paths, p -> p), paths.size(), chunk -> {
                try (OpenTree.Dir in = source.dir(chunk.dir(), false);
                        OpenTree.Dir out = target.dir(chunk.dir(), true)) {
                    // The paths come from a release that passed its check, whose listing enters no link.
                    for (String p : chunk.items()) {
                        String name = OpenTree.nameOf(p);
                        try {
                            copy(in, out, name);
                        } catch (IOException e) {
                            throw failure("cannot copy " + in.file(name) + " to " + out.file(name), e);
                        }
                    }
                } catch (IOException e) {
                    throw failure("cannot copy " + from.resolve(chunk.dir()) + " to " + to.resolve(chunk.dir()), e);
                }
            });
        } catch (IOException e) {
            throw failure("cannot copy " + from + " to " + to, e);
        }
    }

    private static void copy(OpenTree.Dir from, OpenTree.Dir to, String name) throws IOException {
        BasicFileAttributes attributes = from.regularFile(name);
        Set<PosixFilePermission> permissions =
                attributes instanceof PosixFileAttributes posix ? posix.permissions() : null;
        try (SeekableByteChannel in = from.read(name);
                SeekableByteChannel out = to.createReplacing(name, permissions)) {
            transfer(in, out);
        }
        to.setTimes(name, attributes.lastModifiedTime(), attributes.lastAccessTime());
    }

    /**
     * Items by the directory they are in (relative to the operation's directory), in chunks of a few dozen:
     * a few threads share the chunks, and each holds the one directory of its chunk open while it works.
     */
    private record Chunk<T>(String dir, List<T> items) {

        static <T> List<Chunk<T>> of(List<T> items, Function<T, String> path) {
            int size = Math.max(8, Math.min(64, items.size() / 128));
            Map<String, List<T>> byDir = new LinkedHashMap<>();
            for (T item : items) {
                String p = inside(path.apply(item));
                byDir.computeIfAbsent(OpenTree.parentOf(p), d -> new ArrayList<>())
                        .add(item);
            }
            List<Chunk<T>> chunks = new ArrayList<>();
            byDir.forEach((dir, all) -> {
                for (int from = 0; from < all.size(); from += size) {
                    chunks.add(new Chunk<>(dir, all.subList(from, Math.min(all.size(), from + size))));
                }
            });
            return chunks;
        }
    }

    /** The buffer of each copying thread: outside the heap, so that the kernel reads into it directly. */
    private static final ThreadLocal<ByteBuffer> BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 16));

    /**
     * Copies all of {@code in} to {@code out}: through a buffer of the thread's for the small files of a
     * release (a read, a write and a read that finds the end cost a fresh JVM less than {@code sendfile}
     * with the size and positions it needs), by the kernel ({@code sendfile}) beyond the first 64 KiB.
     */
    private static void transfer(SeekableByteChannel in, SeekableByteChannel out) throws IOException {
        ByteBuffer buffer = BUFFER.get();
        int n = in.read(buffer.clear());
        if (n < buffer.capacity() || !(in instanceof FileChannel file)) {
            while (n >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                n = in.read(buffer.clear());
            }
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        long size = file.size();
        for (long at = file.position(); at < size; ) {
            at += file.transferTo(at, size - at, out);
        }
    }

    /**
     * {@code path}, a relative path of a manifest or listing, checked to stay below the directory it is
     * relative to: no name of it empty, {@code .} or {@code ..}.
     */
    private static String inside(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("path leaves its directory: " + path);
        }
        for (int from = 0; from <= path.length(); ) {
            int slash = path.indexOf('/', from);
            int end = slash < 0 ? path.length() : slash;
            int length = end - from;
            if (length == 0 || length == 1 && path.charAt(from) == '.' || length == 2 && path.startsWith("..", from)) {
                throw new IllegalArgumentException("path leaves its directory: " + path);
            }
            from = end + 1;
        }
        return path;
    }

    /**
     * The failure of an operation below the home: a link met on the way (a directory or file swapped for
     * one after the deploy checked it) is the user's to remove, as a link planted before the deploy is;
     * anything else is an I/O failure.
     */
    private DeployException failure(String what, IOException e) {
        if (e instanceof NotDirectoryException) {
            return DeployException.refused(
                    what + ": " + e.getMessage() + " is not a directory; Facsimile writes"
                            + " only below the directories it made there. Remove it and run again",
                    e);
        }
        if (e instanceof OpenTree.NotRegularFile f) {
            return DeployException.refused(
                    what + ": " + f.getFile() + " is not a regular file; Facsimile reads"
                            + " and writes only the files it made there. Remove it and run again",
                    e);
        }
        if (e instanceof FileSystemException f && (f instanceof OpenTree.LinkMet || isLoop(f))) {
            return DeployException.refused(
                    what + ": " + f.getFile() + " was replaced by a symbolic link while the deploy worked below "
                            + home + " (" + f.getReason() + "); a deploy follows no link it did not create there,"
                            + " so nothing outside was read or written through it. Find who else writes the deploy"
                            + " home, remove the link and run again",
                    e);
        }
        return DeployException.io(what, e);
    }

    /** The JDK's {@code ELOOP}: an open or a change of a name that is a link, not followed. */
    private static boolean isLoop(FileSystemException e) {
        String reason = e.getReason() == null ? "" : e.getReason();
        return reason.contains("NOFOLLOW_LINKS") || reason.contains("symbolic link");
    }

    @Override
    public void remove(String path) {
        Path p = resolve(path);
        if (p.equals(home)) {
            throw new IllegalArgumentException("refusing to remove the deploy home " + home);
        }
        String rel = relative(home, p);
        String name = OpenTree.nameOf(rel);
        try (OpenTree tree = OpenTree.home(home, false)) {
            OpenTree.Dir found;
            try {
                found = tree.dir(OpenTree.parentOf(rel), false);
            } catch (NoSuchFileException | NotDirectoryException e) {
                return; // gone already (or never there, below a file): what was asked for
            }
            try (OpenTree.Dir parent = found) {
                BasicFileAttributes attributes;
                try {
                    attributes = parent.attributes(name);
                } catch (NoSuchFileException e) {
                    return;
                }
                if (!attributes.isDirectory()) {
                    parent.deleteFile(name);
                    return;
                }
                // without following links: a link below p is removed, never what it points at
                parent.removeTree(name);
            }
        } catch (IOException e) {
            throw failure("cannot remove " + p, e);
        }
    }

    @Override
    public void rename(String from, String to) {
        Path source = resolve(from);
        Path target = resolve(to);
        String fromRel = relative(home, source);
        String toRel = relative(home, target);
        try (OpenTree tree = OpenTree.home(home, false);
                OpenTree.Dir fromDir = tree.dir(OpenTree.parentOf(fromRel), false);
                OpenTree.Dir toDir = tree.dir(OpenTree.parentOf(toRel), false)) {
            fromDir.move(OpenTree.nameOf(fromRel), toDir, OpenTree.nameOf(toRel));
        } catch (IOException e) {
            throw failure("cannot rename " + source + " to " + target, e);
        }
    }

    @Override
    public void symlink(String link, String target) {
        Path l = resolve(link);
        try {
            Files.createSymbolicLink(l, l.getFileSystem().getPath(target));
        } catch (FileAlreadyExistsException e) {
            throw DeployException.io("cannot create link " + l + ", something is in the way", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw DeployException.io("cannot create symbolic link " + l, e);
        }
    }

    @Override
    public Optional<String> readLink(String link) {
        Path l = resolve(link);
        if (!Files.isSymbolicLink(l)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(l)
                    .toString()
                    .replace(l.getFileSystem().getSeparator(), "/"));
        } catch (IOException e) {
            throw DeployException.io("cannot read link " + l, e);
        }
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        Path p = resolveAll(path);
        String rel = relative(home, p);
        try (OpenTree tree = OpenTree.home(home, false);
                OpenTree.Dir dir = tree.dir(OpenTree.parentOf(rel), false)) {
            String name = OpenTree.nameOf(rel);
            // a FIFO would block the read (and the lock it holds) for good, a device never end
            dir.regularFile(name);
            try (InputStream in = Channels.newInputStream(dir.read(name))) {
                return Optional.of(in.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("cannot read " + p, e);
        }
    }

    @Override
    public void appendFile(String path, byte[] content) {
        Path p = resolveAll(path);
        String rel = relative(home, p);
        try (OpenTree tree = OpenTree.home(home, true);
                OpenTree.Dir dir = tree.dir(OpenTree.parentOf(rel), true);
                OutputStream out = Channels.newOutputStream(dir.append(OpenTree.nameOf(rel)))) {
            out.write(content);
        } catch (IOException e) {
            throw failure("cannot append to " + p, e);
        }
    }

    @Override
    public ExecResult exec(String dir, String command) {
        return new LocalCommand(resolveAll(dir)).run(command);
    }

    @Override
    public ExecResult exec(String dir, String command, Duration timeout) {
        return new LocalCommand(resolveAll(dir)).run(command, timeout);
    }

    @Override
    public DeployLock lock(String holder, Duration wait, Consumer<String> waiting) {
        return LocalLock.acquire(home, holder, wait, waiting);
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    /** The path below home; no directory on the way is a link (the last component may be one). */
    private Path resolve(String path) {
        return confined(path, false);
    }

    /** The path below home; no component, the last included, is a link. */
    private Path resolveAll(String path) {
        return confined(path, true);
    }

    /**
     * Confinement: the deploy follows no link it did not create below home. Every component is
     * checked with {@code lstat}; a link planted where a directory (or the lock, the log, a release)
     * should be fails the deploy naming it, before anything is read or written through it.
     */
    private Path confined(String path, boolean last) {
        if (path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("not a relative deploy path: " + path);
        }
        Path p = home.resolve(path).normalize();
        if (!p.startsWith(home)) {
            throw new IllegalArgumentException("path leaves the deploy home: " + path);
        }
        int names = p.getNameCount() - home.getNameCount();
        Path at = home;
        for (int i = 0; i < names; i++) {
            at = at.resolve(p.getName(home.getNameCount() + i));
            if ((last || i < names - 1) && Files.isSymbolicLink(at)) {
                throw DeployException.plantedLink(at.toString(), home.toString());
            }
        }
        return p;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private static void deleteQuietly(OpenTree.Dir dir, String name) {
        try {
            dir.deleteFile(name);
        } catch (IOException ignored) {
            // The temporary file is left behind; it is never live.
        }
    }

    /** The permissions of {@code mode}; none where the file system of {@code file} has no POSIX permissions. */
    private static Set<PosixFilePermission> permissionsOrNone(Path file, String mode) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? FileMode.parse(mode, file.getFileName()).permissions()
                : null;
    }
}

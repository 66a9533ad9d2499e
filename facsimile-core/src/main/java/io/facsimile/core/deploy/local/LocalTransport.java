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
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    return include.test(relative(root, d) + "/")
                            ? FileVisitResult.CONTINUE
                            : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, f);
                    if (attrs.isRegularFile() && include.test(rel)) {
                        entries.add(new ManifestEntry(rel, attrs.size(), Manifest.mode(f), Manifest.sha256(f), false));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw DeployException.io("cannot scan " + root, e);
        }
        return new Manifest(entries);
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
            Files.createDirectories(d);
        } catch (IOException e) {
            throw DeployException.io("cannot create directory " + d, e);
        }
    }

    @Override
    public void upload(String path, InputStream content, long size, String mode) {
        Path target = resolve(path);
        Path tmp = temporarySibling(target);
        try {
            Files.createDirectories(target.getParent());
            // Created with its mode (the umask may narrow it, never widen it), then set exactly.
            try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(
                    tmp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    creationMode(tmp, mode)))) {
                content.transferTo(out);
            }
            setMode(tmp, mode);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw DeployException.io("cannot write " + target, e);
        }
    }

    /**
     * Copies the new files into {@code dir} (just created empty, or recycled) on a few threads: each file created
     * with its mode ({@code open(O_CREAT|O_EXCL)}, never wider for a moment), its content copied by the
     * kernel where it can ({@code FileChannel.transferTo}), its time kept. No temporary name: nothing
     * in {@code dir} is live until the release is renamed into place.
     */
    @Override
    public void uploadAll(String dir, Path tree, List<ManifestEntry> files, Progress progress) {
        Path root = resolveAll(dir);
        Set<Path> made = ConcurrentHashMap.newKeySet();
        Parallel.forEach(files, e -> {
            Path source = tree.resolve(e.path());
            Path target = inside(root, e.path());
            makeParents(target, made);
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                    FileChannel out = FileChannel.open(
                            target,
                            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            creationMode(target, e.mode()))) {
                long size = in.size();
                for (long at = 0; at < size; ) {
                    at += in.transferTo(at, size - at, out);
                }
            } catch (IOException x) {
                throw DeployException.io("cannot copy " + source + " to " + target, x);
            }
            try {
                setMode(target, e.mode());
                Files.setLastModifiedTime(target, Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS));
            } catch (IOException x) {
                throw DeployException.io("cannot set the mode of " + target, x);
            }
            progress.sent(e.size());
        });
    }

    /** The SHA-256 of each file, read on a few threads; a path that is not a regular file is left out. */
    @Override
    public Map<String, String> sha256(String dir, java.util.Collection<String> paths) {
        Path root = resolveAll(dir);
        Map<String, String> sums = new ConcurrentHashMap<>();
        Parallel.forEach(List.copyOf(paths), p -> {
            Path f = inside(root, p);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                sums.put(p, Manifest.sha256(f));
            }
        });
        return sums;
    }

    /**
     * Independent copies (own inode, mode and time kept), on a few threads; links are copied as links,
     * never followed. The source and the target directory are checked for links once, not per file.
     */
    @Override
    public void copyAll(String fromDir, String toDir, List<String> paths) {
        Path from = resolveAll(fromDir);
        Path to = resolveAll(toDir);
        Set<Path> made = ConcurrentHashMap.newKeySet();
        Parallel.forEach(paths, p -> {
            // The paths come from a release that passed its check, whose listing enters no link.
            Path source = inside(from, p);
            Path target = inside(to, p);
            makeParents(target, made);
            try {
                Files.copy(
                        source,
                        target,
                        StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw DeployException.io("cannot copy " + from.relativize(source) + " to " + target, e);
            }
        });
    }

    /** {@code root/path} for a relative path that stays below {@code root}. */
    private static Path inside(Path root, String path) {
        Path p = root.resolve(path).normalize();
        if (path.startsWith("/") || !p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("path leaves its directory: " + path);
        }
        return p;
    }

    private static void makeParents(Path file, Set<Path> made) {
        Path parent = file.getParent();
        if (made.contains(parent)) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw DeployException.io("cannot create directory " + parent, e);
        }
        made.add(parent);
    }

    @Override
    public void remove(String path) {
        Path p = resolve(path);
        if (p.equals(home)) {
            throw new IllegalArgumentException("refusing to remove the deploy home " + home);
        }
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
                return;
            }
            // without following links: a link below p is removed, never what it points at
            TreeRemoval.remove(home, home.relativize(p));
        } catch (NoSuchFileException e) {
            // Gone already: what was asked for.
        } catch (IOException e) {
            throw DeployException.io("cannot remove " + p, e);
        }
    }

    @Override
    public void rename(String from, String to) {
        Path source = resolve(from);
        Path target = resolve(to);
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw DeployException.io("cannot rename " + source + " to " + target, e);
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
        try {
            // a FIFO would block the read (and the lock it holds) for good, a device never end
            if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile()) {
                throw DeployException.refused(p + " is not a regular file; Facsimile reads only the files it"
                        + " wrote there. Remove it and run again");
            }
            try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(in.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw DeployException.io("cannot read " + p, e);
        }
    }

    @Override
    public void appendFile(String path, byte[] content) {
        Path p = resolveAll(path);
        try {
            Files.createDirectories(p.getParent());
            Files.write(
                    p,
                    content,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw DeployException.io("cannot append to " + p, e);
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

    private static Path temporarySibling(Path target) {
        return target.resolveSibling(Layout.temporaryName());
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The temporary file is left behind; it is never live.
        }
    }

    private static FileAttribute<?>[] creationMode(Path file, String mode) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions(file, mode))};
    }

    static void setMode(Path file, String mode) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        view.setPermissions(permissions(file, mode));
    }

    private static Set<PosixFilePermission> permissions(Path file, String mode) {
        return FileMode.parse(mode, file.getFileName()).permissions();
    }
}

package io.facsimile.core.deploy.local;

import io.facsimile.core.bundle.Manifest;
import io.facsimile.core.bundle.ManifestEntry;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.ExecResult;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.Transport;
import io.facsimile.core.deploy.TransportFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link Transport} to a directory on this machine, on {@code java.nio}: uploads are a copy to a
 * temporary file and an atomic rename, unchanged files are hard-linked (copied where the file system
 * cannot link), POSIX modes are kept, commands run through {@code sh -c}, and the lock is a
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
        Path d = resolve(dir);
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
        Path root = resolve(dir);
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
                    return include.test(relative(root, d) + "/") ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
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

    @Override
    public void makeDirs(String dir) {
        Path d = resolve(dir);
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
            Files.copy(content, tmp);
            setMode(tmp, mode);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw DeployException.io("cannot write " + target, e);
        }
    }

    @Override
    public boolean linkOrCopy(String from, String to) {
        Path source = resolve(from);
        Path target = resolve(to);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, source);
                return true;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // No hard links here (another file system, FAT, a restrictive mount): copy instead.
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                return false;
            }
        } catch (IOException e) {
            throw DeployException.io("cannot link or copy " + source + " to " + target, e);
        }
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
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
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
            return Optional.of(Files.readSymbolicLink(l).toString().replace(l.getFileSystem().getSeparator(), "/"));
        } catch (IOException e) {
            throw DeployException.io("cannot read link " + l, e);
        }
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        Path p = resolve(path);
        try {
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw DeployException.io("cannot read " + p, e);
        }
    }

    @Override
    public void appendFile(String path, byte[] content) {
        Path p = resolve(path);
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw DeployException.io("cannot append to " + p, e);
        }
    }

    @Override
    public ExecResult exec(String dir, String command) {
        return new LocalCommand(resolve(dir)).run(command);
    }

    @Override
    public DeployLock lock(String holder, Duration wait) {
        return LocalLock.acquire(home, holder, wait);
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    private Path resolve(String path) {
        if (path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("not a relative deploy path: " + path);
        }
        Path p = home.resolve(path).normalize();
        if (!p.startsWith(home)) {
            throw new IllegalArgumentException("path leaves the deploy home: " + path);
        }
        return p;
    }

    private static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
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

    static void setMode(Path file, String mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        int bits;
        try {
            bits = Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw new DeployException("file mode \"" + mode + "\" of " + file.getFileName()
                    + " is not four octal digits; render the instance again");
        }
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((bits & (1 << (8 - p.ordinal()))) != 0) {
                perms.add(p);
            }
        }
        view.setPermissions(perms);
    }

}

package io.facsimile.core.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.codehaus.plexus.archiver.AbstractArchiver;
import org.codehaus.plexus.archiver.ArchiverException;
import org.codehaus.plexus.archiver.tar.TarArchiver;
import org.codehaus.plexus.archiver.tar.TarLongFileMode;
import org.codehaus.plexus.archiver.zip.ZipArchiver;
import org.codehaus.plexus.components.io.resources.ResourceFactory;

/**
 * Writes a release dir into a reproducible archive: the same tree gives the same bytes, whenever and
 * wherever it is written.
 *
 * <p>Layout: every entry sits below one top directory, by convention the bundle's base name
 * ({@code <artifactId>-<version>-<instance>/manifest.json}, {@code .../_DEPLOY_/etc/shop.version}),
 * so that unpacking never spills into the current directory, as with a Helm chart package or a Maven
 * assembly.
 *
 * <p>Reproducible: entries in sorted path order (a directory before its content; a zip lists all
 * directories first, as plexus-archiver writes them); every entry time
 * set to the given instant; uid and gid 0, user and group {@code root}; POSIX modes of files and
 * directories kept exactly as on disk, so they agree with {@code manifest.json}; for tar.gz a gzip
 * header without time or file name. Only regular files and directories are archived: a symlink or a
 * special file in the release dir is refused, because a link stored as a link can point outside the
 * place it is unpacked to. The archive is written to a temporary file next to the target and renamed
 * into place, so a failure leaves no half archive.
 */
public final class BundleWriter {

    private final BundleFormat format;
    private final Instant timestamp;

    /**
     * @param format the archive format
     * @param timestamp the time of every entry, see {@link OutputTimestamp#parse}
     */
    public BundleWriter(BundleFormat format, Instant timestamp) {
        this.format = Objects.requireNonNull(format, "format");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The base name of a bundle and of its top directory: {@code <artifactId>-<version>-<instance>}. */
    public static String baseName(String artifactId, String version, String instance) {
        return artifactId + "-" + version + "-" + instance;
    }

    /**
     * Archives everything in {@code releaseDir} below {@code topDirectory/} into {@code target},
     * replacing it.
     *
     * @param releaseDir the directory to archive (the release dir, or a sealed copy of it)
     * @param topDirectory the single directory every entry sits in, usually {@link #baseName}
     * @param target the archive file; its directory is created when missing
     * @return {@code target}
     * @throws BundleException a user error for a symlink, special file or unsafe name in the release
     *     dir; otherwise an I/O failure
     */
    public Path write(Path releaseDir, String topDirectory, Path target) {
        String problem = EntryNames.problem(topDirectory);
        if (problem != null || topDirectory.contains("/")) {
            throw new BundleException("Bundle top directory \"" + topDirectory + "\" must be one plain name"
                    + (problem == null ? "" : ": it " + problem));
        }
        if (!Files.isDirectory(releaseDir)) {
            throw new BundleException("Release dir " + releaseDir + " does not exist; render the instance first");
        }
        // the release dir itself may be reached through a link (a symlinked target/); links inside it may not
        Path root = realPath(releaseDir);
        if (target.toAbsolutePath().normalize().startsWith(root)
                || target.toAbsolutePath().normalize().startsWith(releaseDir.toAbsolutePath().normalize())) {
            throw new BundleException("Bundle " + target + " would be written inside the release dir " + releaseDir
                    + " it archives; write it next to the release dir");
        }
        List<Item> items = collect(root, topDirectory);
        AtomicFiles.replace(target, tmp -> archive(items, tmp));
        return target;
    }

    private void archive(List<Item> items, Path destination) throws IOException {
        AbstractArchiver archiver = newArchiver();
        // sets the entry time, a sorting comparator, uid/gid 0 and user/group root ...
        archiver.configureReproducibleBuild(FileTime.from(timestamp));
        // ... and a 022 umask, which would make 0664 files 0644 in the archive but not in manifest.json
        archiver.setUmask(0);
        archiver.setForced(true);
        archiver.setDestFile(destination.toFile());
        try {
            for (Item item : items) {
                if (item.directory()) {
                    archiver.addResource(ResourceFactory.createResource(item.path().toFile(), item.name()),
                            item.name(), item.mode());
                } else {
                    archiver.addFile(item.path().toFile(), item.name(), item.mode());
                }
            }
            archiver.createArchive();
        } catch (ArchiverException e) {
            throw new BundleException("Cannot write " + format.extension() + " bundle: " + e.getMessage(), e, false);
        }
    }

    private AbstractArchiver newArchiver() {
        return switch (format) {
            case TAR_GZ -> {
                TarArchiver tar = new TarArchiver();
                // java.util.zip.GZIPOutputStream: header time 0, no file name
                tar.setCompression(TarArchiver.TarCompressionMethod.gzip);
                // PAX headers for long names: understood by every tar of this century, no warnings
                tar.setLongfile(TarLongFileMode.posix);
                yield tar;
            }
            case ZIP -> {
                ZipArchiver zip = new ZipArchiver();
                zip.setCompress(true);
                yield zip;
            }
        };
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new BundleException("Cannot read release dir " + dir + ": " + e.getMessage(), e, false);
        }
    }

    private static List<Item> collect(Path releaseDir, String top) {
        List<Item> items = new ArrayList<>();
        boolean posix = releaseDir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try (Stream<Path> walk = Files.walk(releaseDir)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = releaseDir.relativize(path).toString()
                        .replace(path.getFileSystem().getSeparator(), "/");
                String name = relative.isEmpty() ? top : top + "/" + relative;
                BasicFileAttributes attrs = posix
                        ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isSymbolicLink()) {
                    throw new BundleException("Release dir " + releaseDir + " contains a symlink " + relative + " -> "
                            + Files.readSymbolicLink(path) + "; a bundle holds only files and directories:"
                            + " replace the link with a copy of its target");
                }
                if (!attrs.isRegularFile() && !attrs.isDirectory()) {
                    throw new BundleException("Release dir " + releaseDir + " contains " + relative
                            + ", which is neither a file nor a directory; remove it");
                }
                String problem = EntryNames.problem(name);
                if (problem != null) {
                    throw new BundleException("Release dir " + releaseDir + " contains \"" + relative
                            + "\", whose name " + problem + "; rename it");
                }
                // without POSIX attributes (Windows) directories still need x to be entered once unpacked
                items.add(new Item(path, name, attrs.isDirectory(), attrs instanceof PosixFileAttributes p
                        ? Manifest.bits(p.permissions())
                        : attrs.isDirectory() ? 0755 : 0644));
            }
        } catch (IOException e) {
            throw new BundleException("Cannot read release dir " + releaseDir + ": " + e.getMessage(), e, false);
        }
        items.sort(Comparator.comparing(Item::name));
        return items;
    }

    /** One file or directory to archive, under its entry name. */
    private record Item(Path path, String name, boolean directory, int mode) {}
}

package io.facsimile.core.bundle;

import io.facsimile.core.release.AtomicFiles;
import io.facsimile.core.release.EntryNames;
import io.facsimile.core.release.FileMode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

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
 * directories first, as the plexus-archiver of earlier versions wrote them); every entry time
 * set to the given instant; uid and gid 0, user and group {@code root}; POSIX modes of files and
 * directories kept exactly as on disk, so they agree with {@code manifest.json}; for tar.gz a gzip
 * header without time or file name. Only regular files and directories are archived: a symlink or a
 * special file in the release dir is refused, because a link stored as a link can point outside the
 * place it is unpacked to. The archive is written to a temporary file next to the target and renamed
 * into place, so a failure leaves no half archive; the archive is readable by all (0644).
 */
public final class BundleWriter {

    private static final int BUFFER = 64 * 1024;

    private final BundleFormat format;
    private final Instant timestamp;
    private final Runnable afterListing;

    /**
     * @param format the archive format
     * @param timestamp the time of every entry, see {@link OutputTimestamp#parse}
     */
    public BundleWriter(BundleFormat format, Instant timestamp) {
        this(format, timestamp, () -> {});
    }

    /** For tests: {@code afterListing} runs between the listing and the archiving, where a swap would land. */
    BundleWriter(BundleFormat format, Instant timestamp, Runnable afterListing) {
        this.format = Objects.requireNonNull(format, "format");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.afterListing = Objects.requireNonNull(afterListing, "afterListing");
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
        return write(releaseDir, topDirectory, target, false);
    }

    /**
     * As {@link #write(Path, String, Path)}; with {@code ownerOnly} (an archive that holds the state's real
     * secrets, {@code bundleSecrets=include}) the archive stays {@code 0600}, as the temporary file it is
     * written to was from its creation, instead of {@code 0644}.
     */
    public Path write(Path releaseDir, String topDirectory, Path target, boolean ownerOnly) {
        String problem = EntryNames.problem(topDirectory);
        if (problem != null || topDirectory.contains("/")) {
            throw BundleException.userError("Bundle top directory \"" + topDirectory + "\" must be one plain name"
                    + (problem == null ? "" : ": it " + problem));
        }
        if (!Files.isDirectory(releaseDir)) {
            throw BundleException.userError("Release dir " + releaseDir + " does not exist; render the instance first");
        }
        // the release dir itself may be reached through a link (a symlinked target/); links inside it may not
        Path root = realPath(releaseDir);
        if (target.toAbsolutePath().normalize().startsWith(root)
                || target.toAbsolutePath()
                        .normalize()
                        .startsWith(releaseDir.toAbsolutePath().normalize())) {
            throw BundleException.userError("Bundle " + target + " would be written inside the release dir "
                    + releaseDir + " it archives; write it next to the release dir");
        }
        List<Item> items = collect(root, topDirectory);
        afterListing.run();
        AtomicFiles.replace(target, tmp -> {
            archive(items, tmp);
            // a build output like the jar beside it, readable by all (the temporary file was owner-only),
            // unless it holds real secrets
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(
                        tmp, PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--"));
            }
        });
        return target;
    }

    private void archive(List<Item> items, Path destination) throws IOException {
        switch (format) {
            case TAR_GZ -> writeTarGz(items, destination);
            case ZIP -> writeZip(items, destination);
        }
    }

    private void writeTarGz(List<Item> items, Path destination) throws IOException {
        // java.util.zip.GZIPOutputStream: header time 0, no file name
        try (OutputStream file = Files.newOutputStream(destination);
                GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, BUFFER));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
            // PAX headers for long names: understood by every tar of this century, no warnings
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Item item : items) {
                TarArchiveEntry entry = new TarArchiveEntry(item.directory() ? item.name() + "/" : item.name());
                entry.setMode((item.directory() ? TarArchiveEntry.DEFAULT_DIR_MODE : TarArchiveEntry.DEFAULT_FILE_MODE)
                                & ~07777
                        | item.mode());
                entry.setModTime(FileTime.from(timestamp));
                entry.setIds(0, 0);
                entry.setNames("root", "root");
                if (!item.directory()) {
                    entry.setSize(item.size());
                }
                tar.putArchiveEntry(entry);
                if (!item.directory()) {
                    copyListed(item, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private void writeZip(List<Item> items, Path destination) throws IOException {
        // a zip's entry time is a local date and time: write the UTC one whatever the time zone
        long dosTime = LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC)
                .atZone(ZoneId.systemDefault())
                .toInstant()
                .toEpochMilli();
        List<Item> ordered =
                new ArrayList<>(items.stream().filter(Item::directory).toList());
        ordered.addAll(items.stream().filter(item -> !item.directory()).toList());
        // a seekable file: sizes and CRC go into each local header, no data descriptors
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(destination)) {
            zip.setEncoding(StandardCharsets.UTF_8.name());
            for (Item item : ordered) {
                ZipArchiveEntry entry = new ZipArchiveEntry(item.directory() ? item.name() + "/" : item.name());
                entry.setUnixMode((item.directory() ? UnixStat.DIR_FLAG : UnixStat.FILE_FLAG) | item.mode());
                entry.setTime(dosTime);
                entry.setMethod(item.directory() ? ZipEntry.STORED : ZipEntry.DEFLATED);
                // a known size keeps the Zip64 extra field out of the local header of small files
                entry.setSize(item.directory() ? 0 : item.size());
                if (item.directory()) {
                    entry.setCrc(0);
                }
                zip.putArchiveEntry(entry);
                if (!item.directory()) {
                    copyListed(item, zip);
                }
                zip.closeArchiveEntry();
            }
            zip.finish();
        }
    }

    /**
     * Copies the listed file {@code item} into {@code out}: opened without following a link (one swapped in
     * for it since the listing would lead outside the release dir), exactly its listed size.
     */
    private static void copyListed(Item item, OutputStream out) throws IOException {
        SeekableByteChannel opened;
        try {
            opened = Files.newByteChannel(item.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // ELOOP, which the JDK reports as "... (NOFOLLOW_LINKS specified)"
            String message = e.getMessage();
            if (message != null && message.contains("NOFOLLOW_LINKS") || Files.isSymbolicLink(item.path())) {
                throw changedWhileArchived(item, "it was replaced by a link");
            }
            throw e;
        }
        // exactly the listed size, the entry header's, and then nothing more: a file that grows or shrinks
        // meanwhile fails here, naming it, not in the archiver
        try (SeekableByteChannel in = opened) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, item.size())));
            long left = item.size();
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = in.read(buffer);
                if (n < 0) {
                    throw changedWhileArchived(item, "it shrank");
                }
                out.write(buffer.array(), 0, n);
                left -= n;
            }
            if (in.read(buffer.clear().limit(1)) > 0) {
                throw changedWhileArchived(item, "it grew");
            }
        }
    }

    private static BundleException changedWhileArchived(Item item, String how) {
        return BundleException.userError("Cannot archive " + item.path() + ": " + how + " after the release dir was"
                + " listed, and a bundle never follows a link. Something else writes the release dir: let it finish"
                + " and run again");
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw BundleException.broken("Cannot read release dir " + dir, e);
        }
    }

    private static List<Item> collect(Path releaseDir, String top) {
        List<Item> items = new ArrayList<>();
        boolean posix = releaseDir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try (Stream<Path> walk = Files.walk(releaseDir)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = releaseDir
                        .relativize(path)
                        .toString()
                        .replace(path.getFileSystem().getSeparator(), "/");
                String name = relative.isEmpty() ? top : top + "/" + relative;
                BasicFileAttributes attrs = posix
                        ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isSymbolicLink()) {
                    throw BundleException.userError(
                            "Release dir " + releaseDir + " contains a symlink " + relative + " -> "
                                    + Files.readSymbolicLink(path) + "; a bundle holds only files and directories:"
                                    + " replace the link with a copy of its target");
                }
                if (!attrs.isRegularFile() && !attrs.isDirectory()) {
                    throw BundleException.userError("Release dir " + releaseDir + " contains " + relative
                            + ", which is neither a file nor a directory; remove it");
                }
                String problem = EntryNames.problem(name);
                if (problem != null) {
                    throw BundleException.userError("Release dir " + releaseDir + " contains \"" + relative
                            + "\", whose name " + problem + "; rename it");
                }
                // without POSIX attributes (Windows) directories still need x to be entered once unpacked
                items.add(new Item(
                        path,
                        name,
                        attrs.isDirectory(),
                        attrs.isDirectory() ? 0 : attrs.size(),
                        attrs instanceof PosixFileAttributes p
                                ? FileMode.of(p.permissions()).bits()
                                : (attrs.isDirectory() ? FileMode.DIRECTORY : FileMode.FILE).bits()));
            }
        } catch (IOException e) {
            throw BundleException.broken("Cannot read release dir " + releaseDir, e);
        }
        items.sort(Comparator.comparing(Item::name));
        return items;
    }

    /** One file or directory to archive, under its entry name. */
    private record Item(Path path, String name, boolean directory, long size, int mode) {}
}

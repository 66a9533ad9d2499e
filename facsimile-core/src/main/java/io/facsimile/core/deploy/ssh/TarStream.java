package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.Transport;
import io.facsimile.core.release.FileMode;
import io.facsimile.core.release.ManifestEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The new files of a release as one POSIX (pax) tar stream, written with commons-compress: regular
 * files only (no directory, link or device entries; the node's tar creates the parents), each with
 * its manifest mode, its size and the modification time of its local copy in whole seconds, names relative
 * and UTF-8.
 */
final class TarStream {

    private static final int BUFFER = 1 << 16;

    private TarStream() {}

    /**
     * Writes {@code files} of {@code tree} to {@code out} as a tar archive and finishes it (the
     * stream itself is left open for the caller to close).
     *
     * @throws DeployException when a local file is not the size its manifest says (the tree changed
     *     after it was rendered) or cannot be read
     */
    static void write(OutputStream out, Path tree, List<ManifestEntry> files, Transport.Progress progress)
            throws IOException {
        write(out, tree, files, Map.of(), progress);
    }

    /**
     * The same, then each of {@code records} (path → content) as a file of mode 0644 with the time of now:
     * the release's own records, which count as no file sent.
     */
    static void write(
            OutputStream out,
            Path tree,
            List<ManifestEntry> files,
            Map<String, byte[]> records,
            Transport.Progress progress)
            throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(buffered, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (ManifestEntry e : files) {
            Path local = tree.resolve(e.path());
            BasicFileAttributes attrs =
                    Files.readAttributes(local, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() != e.size()) {
                throw new DeployException(
                        local + " is not the " + e.size() + "-byte file its manifest lists; the deploy "
                                + "tree changed after it was rendered: render the instance again");
            }
            TarArchiveEntry entry = new TarArchiveEntry(e.path(), true);
            entry.setSize(e.size());
            entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777
                    | FileMode.parse(e.mode(), e.path()).bits());
            // Whole seconds: a fraction would cost every entry a pax header of its own (1 KiB more per file).
            entry.setModTime(FileTime.from(attrs.lastModifiedTime().to(TimeUnit.SECONDS), TimeUnit.SECONDS));
            tar.putArchiveEntry(entry);
            try (InputStream in = Files.newInputStream(local, LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
            progress.sent(e.size());
        }
        FileTime now = FileTime.from(Instant.now().getEpochSecond(), TimeUnit.SECONDS);
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            TarArchiveEntry entry = new TarArchiveEntry(r.getKey(), true);
            entry.setSize(r.getValue().length);
            entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | 0644);
            entry.setModTime(now);
            tar.putArchiveEntry(entry);
            tar.write(r.getValue());
            tar.closeArchiveEntry();
        }
        tar.finish();
        buffered.flush();
    }
}

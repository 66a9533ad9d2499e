package io.facsimile.core.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Reads a bundle back, independently of the code that wrote it, for assertions. */
final class ArchiveReader {

    /** What a test needs to know of one archive entry. */
    record Entry(
            String name,
            boolean directory,
            boolean symlink,
            int mode,
            long uid,
            long gid,
            String user,
            String group,
            long millis,
            byte[] content) {}

    private ArchiveReader() {}

    static List<Entry> read(Path archive) throws IOException {
        return archive.getFileName().toString().endsWith(".zip") ? readZip(archive) : readTarGz(archive);
    }

    private static List<Entry> readTarGz(Path archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.add(new Entry(
                        e.getName(),
                        e.isDirectory(),
                        e.isSymbolicLink(),
                        e.getMode() & 07777,
                        e.getLongUserId(),
                        e.getLongGroupId(),
                        e.getUserName(),
                        e.getGroupName(),
                        e.getModTime().getTime(),
                        tar.readAllBytes()));
            }
        }
        return entries;
    }

    private static List<Entry> readZip(Path archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
            while (all.hasMoreElements()) {
                ZipArchiveEntry e = all.nextElement();
                byte[] content;
                try (InputStream in = zip.getInputStream(e)) {
                    content = in.readAllBytes();
                }
                entries.add(new Entry(
                        e.getName(),
                        e.isDirectory(),
                        e.isUnixSymlink(),
                        e.getUnixMode() & 07777,
                        0,
                        0,
                        "",
                        "",
                        e.getLastModifiedTime().toMillis(),
                        content));
            }
        }
        return entries;
    }
}

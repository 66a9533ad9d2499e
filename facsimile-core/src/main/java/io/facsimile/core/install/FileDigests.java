package io.facsimile.core.install;

import io.facsimile.core.incremental.FileState;
import io.facsimile.core.incremental.OutputRecord;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.release.FileSha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 and size of every prepared file of a release: rendered bytes are hashed in memory, and a
 * copy's source is read unless the record of the last rendering still answers for it (its source has
 * the size and time recorded). Files are hashed in parallel.
 */
public final class FileDigests {

    private FileDigests() {}

    /** @return destination → what it holds */
    public static Map<String, OutputRecord.Written> of(
            List<PreparedFile> files, OutputRecord previous, SourceFiles sources) {
        Map<String, OutputRecord.Written> digests = new ConcurrentHashMap<>();
        files.parallelStream().forEach(file -> digests.put(file.destination(), of(file, previous, sources)));
        return digests;
    }

    private static OutputRecord.Written of(PreparedFile file, OutputRecord previous, SourceFiles sources) {
        if (file.source() == null) {
            ByteBuffer content = file.contentBuffer();
            int size = content.remaining();
            MessageDigest md = FileSha256.newDigest();
            md.update(content);
            return new OutputRecord.Written(HexFormat.of().formatHex(md.digest()), size, null);
        }
        Path source = file.source();
        String recorded = previous.copyDigest(file.destination(), source, sources);
        if (recorded != null) {
            FileState listed = sources.listed(source);
            return new OutputRecord.Written(recorded, listed.size(), source);
        }
        FileSha256 read;
        try {
            read = FileSha256.of(source);
        } catch (IOException e) {
            throw InstallException.broken("cannot read " + source, e);
        }
        return new OutputRecord.Written(read.sha256(), read.size(), source);
    }
}

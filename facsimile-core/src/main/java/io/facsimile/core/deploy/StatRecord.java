package io.facsimile.core.deploy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.facsimile.core.incremental.Fingerprint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The quick-check record of a release ({@code .facsimile/stat.json}): path → its {@link FileStat}, one JSON
 * object, written and read with Jackson's streaming API (10,000 entries on every deploy, in a fresh JVM).
 */
final class StatRecord {

    private static final JsonFactory FACTORY = new JsonFactory();

    private StatRecord() {}

    /** The document of a record, entries in path order (the caller's sorted map, not copied again). */
    static byte[] write(SortedMap<String, FileStat> stats) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stats.size() * 128 + 2);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, FileStat> e : stats.entrySet()) {
                FileStat s = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("type", s.type());
                g.writeStringField("mode", s.mode());
                g.writeNumberField("size", s.size());
                g.writeStringField("mtime", s.mtime());
                g.writeNumberField("inode", s.inode());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The digest of release {@code id} and a listing of it as its record keeps it: every entry's path,
     * type, mode, size, time and inode in path order, but the record's own files
     * ({@code .facsimile/stat.json}, {@code stat.digest}, {@code stat.sha256}) and the {@code .facsimile}
     * directory, which change when the record is written after the listing
     * ({@link Layout#isOutsideListingDigest}). The id ties the listing to the manifest it was
     * checked against (a release dir renamed to another id does not match). A checksum (CRC-32 and
     * CRC-32C), as the render's listings have: whoever can change the release on the node can rewrite
     * its record as well.
     */
    static String digest(String id, Map<String, FileStat> listing) {
        SortedMap<String, FileStat> sorted =
                listing instanceof TreeMap<String, FileStat> tree && tree.comparator() == null
                        ? tree
                        : new TreeMap<>(listing);
        Fingerprint digest = Fingerprint.checksum().add("release", id);
        for (Map.Entry<String, FileStat> e : sorted.entrySet()) {
            String path = e.getKey();
            if (Layout.isOutsideListingDigest(path)) {
                continue;
            }
            FileStat s = e.getValue();
            digest.add("path", path)
                    .add("type", s.type())
                    .add("mode", s.mode())
                    .add("size", s.size())
                    .add("mtime", s.mtime())
                    .add("inode", s.inode());
        }
        return digest.hex();
    }

    /** The record, or empty when it is damaged: that costs only the quick check (every file is read then). */
    static Optional<Map<String, FileStat>> read(byte[] json) {
        // Looked up by path, never walked in order: a hash map, sized for the ~100 bytes of an entry.
        Map<String, FileStat> stats = new HashMap<>(json.length / 64 + 16);
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String path = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return Optional.empty();
                }
                String type = null;
                String mode = null;
                long size = -1;
                String mtime = null;
                long inode = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "type" -> type = p.getValueAsString();
                        case "mode" -> mode = p.getValueAsString();
                        case "size" -> size = p.getValueAsLong(-1);
                        case "mtime" -> mtime = p.getValueAsString();
                        case "inode" -> inode = p.getValueAsLong(-1);
                        default -> p.skipChildren();
                    }
                }
                if (type == null || mode == null || mtime == null) {
                    return Optional.empty();
                }
                stats.put(path, new FileStat(type, mode, size, mtime, inode));
            }
            return p.currentToken() == JsonToken.END_OBJECT ? Optional.of(stats) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

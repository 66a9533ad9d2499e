package io.facsimile.core.release;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code manifest.json} written and read with Jackson's streaming API rather than by data binding: a
 * manifest of 10,000 entries is read, hashed and written on every deploy, each time in a fresh JVM, where
 * binding a record per entry by reflection cost several times as much. The document is the one data
 * binding writes, byte for byte: the fields of an entry in the order of {@link ManifestEntry}'s
 * components, two-space indentation, {@code "\n"} line ends on every platform.
 */
final class ManifestCodec {

    private static final JsonFactory FACTORY =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    // "\n" whatever the platform: the default pretty printer uses the system line separator, which would
    // make manifest.json, the tree hash and the bundle differ between Windows and Linux.
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private ManifestCodec() {}

    /**
     * Writes the document and the newline that ends it.
     *
     * @param unsealed every entry written with {@code "sealed" : false}, as the tree hash needs
     */
    static void write(Manifest manifest, boolean unsealed, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(PRETTY.createInstance());
            g.writeStartObject();
            g.writeArrayFieldStart("files");
            for (ManifestEntry e : manifest.files()) {
                g.writeStartObject();
                g.writeStringField("path", e.path());
                g.writeNumberField("size", e.size());
                g.writeStringField("mode", e.mode());
                g.writeStringField("sha256", e.sha256());
                g.writeBooleanField("sealed", e.sealed() && !unsealed);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    /**
     * Reads a document; fields it does not know are skipped, as a newer Facsimile may write more.
     *
     * @throws JsonParseException naming the line where the document is not JSON, not a manifest, or
     *     holds an entry {@link ManifestEntry} refuses
     */
    static Manifest read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                throw new JsonParseException(p, "the document is " + (first == null ? "empty" : "null"));
            }
            expect(p, JsonToken.START_OBJECT, "an object");
            List<ManifestEntry> files = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("files") && value != JsonToken.VALUE_NULL) {
                    files = entries(p);
                } else {
                    p.skipChildren();
                }
            }
            expect(p, JsonToken.END_OBJECT, "the end of the object");
            return new Manifest(files);
        }
    }

    private static List<ManifestEntry> entries(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, "a list of files");
        List<ManifestEntry> files = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            files.add(entry(p));
        }
        return files;
    }

    private static ManifestEntry entry(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "a file entry");
        String path = null;
        long size = 0;
        String mode = null;
        String sha256 = null;
        boolean sealed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "path" -> path = text(p, field);
                case "size" -> size = p.getValueAsLong(-1);
                case "mode" -> mode = text(p, field);
                case "sha256" -> sha256 = text(p, field);
                case "sealed" -> sealed = p.getValueAsBoolean();
                default -> p.skipChildren();
            }
        }
        expect(p, JsonToken.END_OBJECT, "the end of a file entry");
        try {
            return new ManifestEntry(path, size, mode, sha256, sealed);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(
                    p, e instanceof NullPointerException ? "an entry has no " + e.getMessage() : e.getMessage());
        }
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (!p.currentToken().isScalarValue() || p.currentToken() == JsonToken.VALUE_NULL) {
            throw new JsonParseException(p, "\"" + field + "\" must be a string, found " + p.currentToken());
        }
        return p.getValueAsString();
    }

    private static void expect(JsonParser p, JsonToken token, String what) throws IOException {
        if (p.currentToken() != token) {
            throw new JsonParseException(p, "expected " + what + ", found " + p.currentToken());
        }
    }
}

package io.facsimile.core.incremental;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.facsimile.core.release.AtomicFiles;
import io.facsimile.core.release.ReleaseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The instances the layer files derive, kept beside the release dirs ({@code .instances}) for the
 * listing of the definitions they were derived from. A run that renders every instance learns their
 * names by parsing every layer file (which layers only serve as building blocks); when the listing of
 * the definitions and shared directories (names, sizes, times, and the content of files too recent to
 * tell apart by time), the project's name and Facsimile's code are as recorded, the names are taken
 * from here instead. Any doubt derives them again.
 */
public final class DerivedInstances {

    private static final int VERSION = 1;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private DerivedInstances() {}

    /**
     * The derived instances: recorded in {@code file} for this run's listing, or from {@code derive},
     * then recorded.
     *
     * @param sources the run's source files, whose listing is taken before anything is read
     * @param projectName the project's name, a reserved layer name
     */
    public static List<String> of(Path file, SourceFiles sources, String projectName, Supplier<List<String>> derive) {
        SourceFiles.Listing listing = sources.taken();
        String key = new Fingerprint()
                .add("listing", listing.digest())
                .add("racy", listing.racy())
                .add("project", projectName)
                .add("code", RenderInputs.code())
                .hex();
        Optional<List<String>> recorded = read(file, key);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        List<String> derived = List.copyOf(derive.get());
        write(file, key, derived);
        return derived;
    }

    private static Optional<List<String>> read(Path file, String key) {
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            if (p.nextToken() != JsonToken.START_OBJECT
                    || !"version".equals(p.nextFieldName())
                    || p.nextIntValue(-1) != VERSION
                    || !"key".equals(p.nextFieldName())
                    || !key.equals(p.nextTextValue())
                    || !"instances".equals(p.nextFieldName())
                    || p.nextToken() != JsonToken.START_ARRAY) {
                return Optional.empty();
            }
            List<String> instances = new ArrayList<>();
            for (String name = p.nextTextValue(); name != null; name = p.nextTextValue()) {
                instances.add(name);
            }
            return p.currentToken() == JsonToken.END_ARRAY ? Optional.of(List.copyOf(instances)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Written through a temporary file, only beside release dirs that exist: a run that renders nothing
     * (an unknown instance, a broken layer) leaves no directory behind. A record that cannot be written
     * is derived again next time.
     */
    private static void write(Path file, String key, List<String> instances) {
        if (!Files.isDirectory(file.getParent())) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeNumberField("version", VERSION);
                g.writeStringField("key", key);
                g.writeArrayFieldStart("instances");
                for (String instance : instances) {
                    g.writeString(instance);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            AtomicFiles.writeReadable(file, out.toByteArray());
        } catch (IOException | ReleaseException e) {
            // derived again next time
        }
    }
}

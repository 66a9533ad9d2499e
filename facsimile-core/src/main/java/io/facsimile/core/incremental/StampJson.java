package io.facsimile.core.incremental;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes a {@link ReleaseStamp} as JSON with jackson-core's streaming parser and generator.
 * An unchanged re-render reads one stamp per instance and nothing else as JSON: an object mapper
 * would load and configure several hundred classes of jackson-databind in a fresh JVM for that.
 */
final class StampJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private StampJson() {}

    static byte[] write(ReleaseStamp stamp) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("version", stamp.version());
            json.writeStringField("inputs", stamp.inputs());
            if (stamp.resolution() != null) {
                ResolutionKey resolution = stamp.resolution();
                json.writeObjectFieldStart("resolution");
                json.writeStringField("digest", resolution.digest());
                json.writeStringField("layers", resolution.layers());
                json.writeStringField("stateName", resolution.stateName());
                json.writeArrayFieldStart("environment");
                for (String name : resolution.environment()) {
                    json.writeString(name);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeNumberField("newestInput", stamp.newestInput());
            json.writeObjectFieldStart("racyInputs");
            for (Map.Entry<String, String> racy : new TreeMap<>(stamp.racyInputs()).entrySet()) {
                json.writeStringField(racy.getKey(), racy.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("watched");
            for (FileState state : stamp.watched()) {
                json.writeStartObject();
                json.writeStringField("path", state.path());
                json.writeStringField("kind", state.kind());
                json.writeNumberField("size", state.size());
                json.writeNumberField("modified", state.modified());
                json.writeStringField("permissions", state.permissions());
                json.writeStringField("link", state.link());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("outputs", stamp.outputs());
            json.writeNumberField("newestOutput", stamp.newestOutput());
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /**
     * @throws IOException when the file cannot be read or is not JSON
     * @throws RuntimeException when it is JSON of another shape
     */
    static ReleaseStamp read(Path file) throws IOException {
        Map<String, Object> stamp;
        try (JsonParser json = JSON.createParser(Files.readAllBytes(file))) {
            stamp = map(value(json, json.nextToken()));
        }
        Map<String, Object> resolution = map(stamp.get("resolution"));
        List<FileState> watched = new ArrayList<>();
        for (Object entry : list(stamp.get("watched"))) {
            Map<String, Object> state = map(entry);
            watched.add(new FileState(
                    (String) state.get("path"),
                    (String) state.get("kind"),
                    number(state.get("size")),
                    number(state.get("modified")),
                    (String) state.get("permissions"),
                    (String) state.get("link")));
        }
        Map<String, String> racy = new LinkedHashMap<>();
        map(stamp.get("racyInputs")).forEach((path, digest) -> racy.put(path, (String) digest));
        return new ReleaseStamp(
                (int) number(stamp.get("version")),
                (String) stamp.get("inputs"),
                resolution.isEmpty()
                        ? null
                        : new ResolutionKey(
                                (String) resolution.get("digest"),
                                (String) resolution.get("layers"),
                                (String) resolution.get("stateName"),
                                list(resolution.get("environment")).stream()
                                        .map(String.class::cast)
                                        .toList()),
                number(stamp.get("newestInput")),
                racy,
                watched,
                (String) stamp.get("outputs"),
                number(stamp.get("newestOutput")));
    }

    private static Object value(JsonParser json, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("empty stamp");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String name = json.nextFieldName(); name != null; name = json.nextFieldName()) {
                    map.put(name, value(json, json.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
                    list.add(value(json, next));
                }
                return list;
            }
            case VALUE_STRING -> {
                return json.getText();
            }
            case VALUE_NUMBER_INT -> {
                return json.getLongValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                return json.getText(); // no field of a stamp is one: read past it
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    private static long number(Object value) {
        return value == null ? 0 : (Long) value;
    }
}

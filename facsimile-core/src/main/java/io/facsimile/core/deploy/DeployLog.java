package io.facsimile.core.deploy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and appends the deploy log of a node through its transport. Call only while holding the lock.
 * Each line is one JSON object, read and written with jackson-core's streaming parser and generator:
 * an object mapper would load several hundred classes in a fresh JVM for one line.
 */
final class DeployLog {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** The text fields of an entry, in the order of its components and of a line. */
    private static final List<String> TEXTS = List.of("release", "outcome", "who", "when", "hash", "strategy");

    List<DeployLogEntry> read(Transport t) {
        Optional<byte[]> bytes = t.readFile(Layout.LOG);
        List<DeployLogEntry> entries = new ArrayList<>();
        if (bytes.isEmpty()) {
            return entries;
        }
        for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(entry(line));
            } catch (IOException e) {
                // A torn last line (a crash mid-append) must not stop deploys; skip what cannot be read.
                continue;
            }
        }
        return entries;
    }

    /** One line as an entry; keys it does not know are skipped, a number may stand for the seconds. */
    static DeployLogEntry entry(String line) throws IOException {
        Map<String, String> texts = new HashMap<>();
        Double seconds = null;
        try (JsonParser json = JSON.createParser(line)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(json, "a deploy log line is a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (name.equals("seconds") && value.isNumeric()) {
                    seconds = json.getDoubleValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    texts.put(name, json.getText());
                } else {
                    json.skipChildren();
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT) {
                throw new JsonParseException(json, "a deploy log line ends with its object");
            }
        }
        List<String> values = TEXTS.stream().map(texts::get).toList();
        return new DeployLogEntry(
                values.get(0), values.get(1), values.get(2), values.get(3), values.get(4), values.get(5), seconds);
    }

    void append(Transport t, DeployLogEntry entry) {
        t.appendFile(Layout.LOG, (line(entry) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The entry as its line of the log, without the newline. */
    String line(DeployLogEntry entry) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            String[] texts = {
                entry.release(), entry.outcome(), entry.who(), entry.when(), entry.hash(), entry.strategy()
            };
            for (int i = 0; i < TEXTS.size(); i++) {
                json.writeStringField(TEXTS.get(i), texts[i]);
            }
            json.writeFieldName("seconds");
            if (entry.seconds() == null) {
                json.writeNull();
            } else {
                json.writeNumber(entry.seconds());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does no I/O
        }
        return out.toString();
    }

    /** The release of the last successful deploy, if any. */
    static Optional<String> lastGood(List<DeployLogEntry> log) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).ok()) {
                return Optional.of(log.get(i).release());
            }
        }
        return Optional.empty();
    }
}

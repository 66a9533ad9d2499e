package io.facsimile.core.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and appends the deploy log of a node through its transport. Call only while holding the lock. */
final class DeployLog {

    /** Made when a log line is first read or written: a no-op deploy reads none, and loads no object mapper. */
    private static final class Json {
        static final ObjectMapper MAPPER =
                new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

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
                entries.add(Json.MAPPER.readValue(line, DeployLogEntry.class));
            } catch (JsonProcessingException e) {
                // A torn last line (a crash mid-append) must not stop deploys; skip what cannot be read.
                continue;
            }
        }
        return entries;
    }

    void append(Transport t, DeployLogEntry entry) {
        t.appendFile(Layout.LOG, (line(entry) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The entry as its line of the log, without the newline. */
    String line(DeployLogEntry entry) {
        try {
            return Json.MAPPER.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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

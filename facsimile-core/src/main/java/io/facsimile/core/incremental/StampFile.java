package io.facsimile.core.incremental;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads and writes a {@link ReleaseStamp} as a Java properties file ({@link Properties}, UTF-8). An
 * unchanged re-render reads one stamp per instance and nothing else: a properties file is read by
 * classes a JVM has loaded before any goal starts, where a JSON parser is some fifty classes of
 * jackson-core to load and verify, about 50 ms of every fresh {@code mvn}.
 *
 * <p>Lists are numbered keys ({@code watched.0.path}, {@code racy.0.path}), so that no path is ever a
 * key; a key that is missing or a number that does not parse makes the stamp unreadable, and an
 * unreadable stamp renders anew.
 */
final class StampFile {

    private StampFile() {}

    static byte[] write(ReleaseStamp stamp) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("version", Integer.toString(stamp.version()));
        properties.setProperty("inputs", stamp.inputs());
        ResolutionKey resolution = stamp.resolution();
        if (resolution != null) {
            properties.setProperty("resolution.digest", resolution.digest());
            if (resolution.layers() != null) {
                properties.setProperty("resolution.layers", resolution.layers());
            }
            properties.setProperty("resolution.stateName", resolution.stateName());
            putList(properties, "resolution.environment", resolution.environment());
        }
        properties.setProperty("newestInput", Long.toString(stamp.newestInput()));
        int index = 0;
        for (Map.Entry<String, String> racy : new TreeMap<>(stamp.racyInputs()).entrySet()) {
            properties.setProperty("racy." + index + ".path", racy.getKey());
            properties.setProperty("racy." + index + ".content", racy.getValue());
            index++;
        }
        properties.setProperty("racy.count", Integer.toString(index));
        List<FileState> watched = stamp.watched();
        for (int i = 0; i < watched.size(); i++) {
            FileState state = watched.get(i);
            String key = "watched." + i + ".";
            properties.setProperty(key + "path", state.path());
            properties.setProperty(key + "kind", state.kind());
            properties.setProperty(key + "size", Long.toString(state.size()));
            properties.setProperty(key + "modified", Long.toString(state.modified()));
            properties.setProperty(key + "permissions", state.permissions());
            properties.setProperty(key + "link", state.link());
        }
        properties.setProperty("watched.count", Integer.toString(watched.size()));
        properties.setProperty("outputs", stamp.outputs());
        properties.setProperty("newestOutput", Long.toString(stamp.newestOutput()));
        properties.setProperty("listedAt", Long.toString(stamp.listedAt()));
        if (stamp.copiesApart() != null) {
            properties.setProperty("copiesApart", stamp.copiesApart());
        }
        return bytes(properties);
    }

    /**
     * @throws IOException when the file cannot be read, or is not a stamp: a key missing, a number that
     *     does not parse
     */
    static ReleaseStamp read(Path file) throws IOException {
        Properties properties = load(file);
        try {
            ResolutionKey resolution = properties.getProperty("resolution.digest") == null
                    ? null
                    : new ResolutionKey(
                            required(properties, "resolution.digest"),
                            properties.getProperty("resolution.layers"),
                            required(properties, "resolution.stateName"),
                            list(properties, "resolution.environment"));
            Map<String, String> racy = new LinkedHashMap<>();
            int racyCount = Integer.parseInt(required(properties, "racy.count"));
            for (int i = 0; i < racyCount; i++) {
                racy.put(required(properties, "racy." + i + ".path"), required(properties, "racy." + i + ".content"));
            }
            List<FileState> watched = new ArrayList<>();
            int watchedCount = Integer.parseInt(required(properties, "watched.count"));
            for (int i = 0; i < watchedCount; i++) {
                String key = "watched." + i + ".";
                watched.add(new FileState(
                        required(properties, key + "path"),
                        required(properties, key + "kind"),
                        Long.parseLong(required(properties, key + "size")),
                        Long.parseLong(required(properties, key + "modified")),
                        required(properties, key + "permissions"),
                        required(properties, key + "link")));
            }
            return new ReleaseStamp(
                    Integer.parseInt(required(properties, "version")),
                    required(properties, "inputs"),
                    resolution,
                    Long.parseLong(required(properties, "newestInput")),
                    racy,
                    watched,
                    required(properties, "outputs"),
                    Long.parseLong(required(properties, "newestOutput")),
                    Long.parseLong(required(properties, "listedAt")),
                    properties.getProperty("copiesApart"));
        } catch (NumberFormatException e) {
            throw new IOException("not a stamp: " + file + ": " + e.getMessage(), e);
        }
    }

    /** A properties file as UTF-8 bytes. */
    static byte[] bytes(Properties properties) throws IOException {
        StringWriter out = new StringWriter();
        properties.store(out, null);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A properties file written by {@link #bytes}. */
    static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    /** {@code values} as {@code key.count} and {@code key.0}, {@code key.1}, …. */
    static void putList(Properties properties, String key, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            properties.setProperty(key + "." + i, values.get(i));
        }
        properties.setProperty(key + ".count", Integer.toString(values.size()));
    }

    /** The list {@link #putList} wrote. */
    static List<String> list(Properties properties, String key) throws IOException {
        int count;
        try {
            count = Integer.parseInt(required(properties, key + ".count"));
        } catch (NumberFormatException e) {
            throw new IOException("not a count: " + key + ".count", e);
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(required(properties, key + "." + i));
        }
        return values;
    }

    private static String required(Properties properties, String key) throws IOException {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IOException("no " + key);
        }
        return value;
    }
}

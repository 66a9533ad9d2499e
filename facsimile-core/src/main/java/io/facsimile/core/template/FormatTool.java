package io.facsimile.core.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.facsimile.core.text.Escapes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code $fmt} in templates: a subtree of the definition written as JSON, YAML or Java properties.
 *
 * <p>Map keys are written in sorted order (lists keep theirs), with {@code \n} line ends on every
 * platform, so the output does not depend on how the tree was built. Strings are always quoted in
 * JSON and YAML, so a value such as {@code yes} or {@code 012} stays a string.
 */
public final class FormatTool {

    /**
     * The writers, made when a template first calls {@code $fmt.json} or {@code $fmt.yaml}: most
     * renderings never do, and two object mappers cost a fresh JVM several hundred classes. Immutable
     * once built, so every tool shares them.
     */
    private static final class Writers {
        static final ObjectWriter JSON = new ObjectMapper()
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writer(new DefaultPrettyPrinter()
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                        .withArrayIndenter(new DefaultIndenter("  ", "\n")));
        static final ObjectWriter YAML = new ObjectMapper(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        // a long value stays on one line: folded, a password would be found in no form
                        .disable(YAMLGenerator.Feature.SPLIT_LINES)
                        .build())
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writer();
    }

    /**
     * A value as JSON: a map or list pretty-printed with two spaces, a string quoted and escaped, so
     * {@code "password": $fmt.json($mod.password)} is valid whatever the password holds.
     */
    public String json(Object value) {
        try {
            return Writers.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as a YAML document without the {@code ---} marker, ending with a newline. */
    public String yaml(Object value) {
        try {
            return Writers.YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A map as Java properties, one {@code key=value} line each, nested maps flattened to dotted keys
     * ({@code db.host}) and lists to indexes ({@code hosts.0}). Keys and values are escaped the way
     * {@link java.util.Properties#load(java.io.Reader)} reads them back, with non-ASCII characters as
     * {@code \}{@code uXXXX} so the file also loads as ISO-8859-1; {@code null} becomes an empty value.
     * There is no date comment, so the output is deterministic.
     *
     * @throws IllegalArgumentException when the value is not a map
     */
    public String properties(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("$fmt.properties needs a map, found "
                    + (value == null ? "null" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT)));
        }
        StringBuilder out = new StringBuilder();
        flatten("", map, out);
        return out.toString();
    }

    private static void flatten(String key, Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sorted.forEach((k, v) -> flatten(key.isEmpty() ? k : key + "." + k, v, out));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(key.isEmpty() ? Integer.toString(i) : key + "." + i, list.get(i), out);
            }
        } else {
            out.append(Escapes.propertyKey(key))
                    .append('=')
                    .append(Escapes.propertyValue(value == null ? "" : String.valueOf(value)))
                    .append('\n');
        }
    }
}

package io.facsimile.core.definition.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one definition file (JSON, YAML or TOML, by extension, UTF-8) into a {@link Document}: a
 * plain tree of {@code LinkedHashMap}, {@code ArrayList}, {@code String}, {@code Boolean} and
 * numbers, with explicit {@code null}s kept, and the {@link Origin} of each value.
 *
 * <p>JSON and YAML values carry their line and column. TOML values carry only their file: Jackson's
 * TOML reader reports no locations for the values it reads (its syntax errors do have them).
 *
 * <p>Every failure is a {@link DocumentException} whose message starts with {@code
 * file:line:column:} where the place is known: syntax errors, duplicate keys, YAML tags other than
 * the core ones ({@code !!str}, {@code !!int}...), which would ask for Java objects.
 *
 * <p>Thread-safe; the parser factories are immutable once built.
 */
public final class DocumentReader {

    // Duplicate keys of JSON and YAML are found by TreeBuilder, which names both lines.
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    /**
     * TOML is read through a mapper, whose start-up loads all of jackson-databind: built on the first
     * TOML file, not for the YAML and JSON layers of every run.
     */
    private static final class Toml {
        static final TomlMapper MAPPER = TomlMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** Jackson appends "[Source: ...; line: 1, column: 2]" to some messages; users need only the place. */
    private static final Pattern SOURCE_REFERENCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]");

    private DocumentReader() {}

    /**
     * Reads a definition file.
     *
     * @throws DocumentException when the file has no definition extension, cannot be read or is not
     *     valid for its format
     */
    public static Document read(Path file) {
        Format format = Format.of(file)
                .orElseThrow(() -> new DocumentException(
                        file + ": not a definition file; use one of the extensions " + Format.allExtensions()));
        try {
            String text = withoutByteOrderMark(Files.readString(file, StandardCharsets.UTF_8));
            return switch (format) {
                case JSON -> readStreaming(file, JSON.createParser(text));
                case YAML -> readStreaming(file, YAML.createParser(text));
                case TOML -> new Document(file, toPlain(Toml.MAPPER.readTree(text)), Map.of());
            };
        } catch (JsonProcessingException e) {
            throw new DocumentException(at(file, e) + ": " + describe(e), e);
        } catch (NoSuchFileException e) {
            throw new DocumentException(file + ": file not found", e);
        } catch (CharacterCodingException e) {
            throw new DocumentException(file + ": not valid UTF-8; save the file as UTF-8", e);
        } catch (IOException e) {
            throw new DocumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    // Editors on Windows like to start UTF-8 files with a BOM; it is not part of the content.
    private static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static Document readStreaming(Path file, JsonParser parser) throws IOException {
        try (parser) {
            return TreeBuilder.build(file, parser);
        }
    }

    /**
     * Where the problem is: for YAML, SnakeYAML's mark of the problem itself (Jackson's location is the last
     * token it read well, often a line before).
     */
    private static Origin at(Path file, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark problem = yaml.getProblemMark();
            return new Origin(file, problem.getLine() + 1, problem.getColumn() + 1);
        }
        JsonLocation location = e.getLocation();
        if (location == null) {
            return Origin.ofFile(file);
        }
        return new Origin(file, Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml) {
            String problem = yaml.getProblem();
            Mark context = yaml.getContextMark();
            if (yaml.getContext() != null && context != null) {
                problem += " (" + yaml.getContext() + " started at line " + (context.getLine() + 1) + ", column "
                        + (context.getColumn() + 1) + ")";
            }
            return problem;
        }
        String message = e.getOriginalMessage();
        if (message == null) {
            return "not valid";
        }
        if (message.startsWith("Duplicate field ")) {
            message = "duplicate key " + message.substring("Duplicate field ".length());
        } else if (message.startsWith("Duplicate key")) {
            message = "duplicate key" + message.substring("Duplicate key".length());
        }
        Matcher source = SOURCE_REFERENCE.matcher(message);
        return source.replaceAll("line $1, column $2").strip();
    }

    private static Object toPlain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), toPlain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(toPlain(element)));
            return list;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.asText();
    }
}

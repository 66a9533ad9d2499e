package io.facsimile.core.definition.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a plain Java tree from a streaming JSON or YAML parser, recording the line and column of
 * every value. Scalars are located where the value starts; maps and lists where their key is (or
 * where they start, as list elements and the root).
 *
 * <p>YAML is read as plain data: the core tags ({@code !!str}, {@code !!int}...) are allowed, any
 * other tag is rejected, because a tag asks for an object type and a definition holds only data.
 * Anchors and aliases of maps and lists are expanded, within limits that stop an alias bomb.
 */
final class TreeBuilder {

    /** As SnakeYAML's default {@code maxAliasesForCollections}. */
    static final int MAX_COLLECTION_ALIASES = 50;

    /** Values a document may expand to, counting every alias expansion. */
    static final int MAX_VALUES = 250_000;

    /** Maps and lists inside each other; deeper documents would overflow the stack of this reader. */
    static final int MAX_DEPTH = 200;

    private static final String CORE_TAG_PREFIX = "tag:yaml.org,2002:";
    private static final Set<String> CORE_TAGS = Set.of("str", "int", "float", "bool", "null", "map", "seq");

    private final Path file;
    private final JsonParser parser;
    private final Map<List<String>, Origin> origins = new LinkedHashMap<>();
    private final Map<String, Anchor> anchors = new HashMap<>();
    private int collectionAliases;
    private int values;
    private int depth;

    private record Anchor(Object value, List<String> path, int size) {}

    private TreeBuilder(Path file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** Reads the single document of a parser that has not been advanced yet. */
    static Document build(Path file, JsonParser parser) throws IOException {
        TreeBuilder builder = new TreeBuilder(file, parser);
        if (parser.nextToken() == null) {
            return new Document(file, null, Map.of());
        }
        Object root = builder.readValue(List.of(), parser.currentTokenLocation());
        if (parser.nextToken() != null) {
            throw builder.error(
                    parser.currentTokenLocation(), "a definition file holds one document; found a second one");
        }
        return new Document(file, root, builder.origins);
    }

    private Object readValue(List<String> path, JsonLocation keyLocation) throws IOException {
        JsonToken token = parser.currentToken();
        JsonLocation location = parser.currentTokenLocation();
        checkTag(location);
        count(1, location);
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            return expandAlias(yaml.getText(), path, location);
        }
        // Jackson reports anchors of maps and lists only, not of scalars (see expandAlias).
        Object anchor = parser instanceof YAMLParser yaml && (token.isStructStart()) ? yaml.getObjectId() : null;
        Object value;
        switch (token) {
            case START_OBJECT -> {
                origins.put(path, origin(keyLocation));
                enter(location);
                value = readMap(path);
                depth--;
            }
            case START_ARRAY -> {
                origins.put(path, origin(keyLocation));
                enter(location);
                value = readList(path);
                depth--;
            }
            case VALUE_STRING -> value = parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = parser.getNumberValue();
            case VALUE_TRUE -> value = Boolean.TRUE;
            case VALUE_FALSE -> value = Boolean.FALSE;
            case VALUE_NULL -> value = null;
            default -> throw error(location, "unexpected " + token.asString());
        }
        if (!(value instanceof Map || value instanceof List)) {
            origins.put(path, origin(location));
        }
        if (anchor != null && (value instanceof Map || value instanceof List)) {
            anchors.put(anchor.toString(), new Anchor(value, path, valuesBelow(path)));
        }
        return value;
    }

    private Map<String, Object> readMap(List<String> path) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, JsonLocation> keyLocations = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonLocation keyLocation = parser.currentTokenLocation();
            JsonLocation first = keyLocations.putIfAbsent(key, keyLocation);
            if (first != null) {
                // Detected here rather than by Jackson, whose message names only the second occurrence.
                throw error(
                        keyLocation,
                        "duplicate key '" + key + "' (first at line " + first.getLineNr() + ", column "
                                + first.getColumnNr() + "); remove one of the two");
            }
            if (parser instanceof YAMLParser && "<<".equals(key)) {
                throw error(
                        keyLocation, "YAML merge keys (<<) are not supported; use 'inherit' to build on another layer");
            }
            parser.nextToken();
            map.put(key, readValue(append(path, key), keyLocation));
        }
        return map;
    }

    private List<Object> readList(List<String> path) throws IOException {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(append(path, Integer.toString(list.size())), parser.currentTokenLocation()));
        }
        return list;
    }

    private Object expandAlias(String name, List<String> path, JsonLocation location) {
        Anchor anchor = anchors.get(name);
        if (anchor == null) {
            throw error(
                    location,
                    "alias *" + name + " does not name an anchored map or list above it"
                            + " (anchors on single values are not supported)");
        }
        if (++collectionAliases > MAX_COLLECTION_ALIASES) {
            throw error(location, "more than " + MAX_COLLECTION_ALIASES + " aliases; simplify the document");
        }
        count(anchor.size(), location);
        // The aliased values keep the origins where they were written, under the new path.
        List<Map.Entry<List<String>, Origin>> copied = new ArrayList<>();
        origins.forEach((p, o) -> {
            if (startsWith(p, anchor.path())) {
                List<String> moved = new ArrayList<>(path);
                moved.addAll(p.subList(anchor.path().size(), p.size()));
                copied.add(Map.entry(List.copyOf(moved), o));
            }
        });
        copied.forEach(e -> origins.put(e.getKey(), e.getValue()));
        origins.put(path, origin(location));
        return anchor.value();
    }

    private void checkTag(JsonLocation location) throws IOException {
        if (!(parser instanceof YAMLParser yaml)) {
            return;
        }
        Object tag = yaml.getTypeId();
        if (tag == null) {
            return;
        }
        String text = tag.toString();
        if (text.startsWith(CORE_TAG_PREFIX) && CORE_TAGS.contains(text.substring(CORE_TAG_PREFIX.length()))) {
            return;
        }
        String shown = text.startsWith(CORE_TAG_PREFIX)
                ? "!!" + text.substring(CORE_TAG_PREFIX.length())
                : text.startsWith("!") ? text : "!" + text;
        throw error(
                location,
                "YAML tag " + shown + " is not allowed; a definition holds plain data"
                        + " (maps, lists, strings, numbers, booleans), remove the tag");
    }

    private void enter(JsonLocation location) {
        if (++depth > MAX_DEPTH) {
            throw error(location, "maps and lists are nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void count(int n, JsonLocation location) {
        values += n;
        if (values > MAX_VALUES) {
            throw error(location, "the document expands to more than " + MAX_VALUES + " values");
        }
    }

    private int valuesBelow(List<String> path) {
        return (int) origins.keySet().stream().filter(p -> startsWith(p, path)).count();
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    private static List<String> append(List<String> path, String key) {
        List<String> result = new ArrayList<>(path.size() + 1);
        result.addAll(path);
        result.add(key);
        return List.copyOf(result);
    }

    private Origin origin(JsonLocation location) {
        return new Origin(file, Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }

    private DocumentException error(JsonLocation location, String what) {
        return new DocumentException(origin(location) + ": " + what);
    }
}

package io.facsimile.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks plain trees (maps, lists, strings, numbers, booleans) against a JSON Schema (draft 2020-12)
 * that uses only the keywords Facsimile's own schemas need: {@code type}, {@code properties},
 * {@code additionalProperties}, {@code required}, {@code items}, {@code enum}, {@code minimum},
 * {@code minLength} and local {@code $ref}s into {@code $defs}; annotations ({@code title},
 * {@code description}, {@code $id}, {@code $schema}) are ignored.
 *
 * <p>A schema that uses any other keyword is refused when the validator is made, so a keyword
 * added to the schema file can never be silently ignored. Thread-safe.
 */
public final class SubsetSchemaValidator {

    private static final Set<String> KEYWORDS = Set.of("type", "properties", "additionalProperties", "required",
            "items", "enum", "minimum", "minLength", "$ref", "$defs", "$schema", "$id", "title", "description");

    private final JsonNode root;

    /**
     * @param schema the parsed schema
     * @throws IllegalArgumentException when the schema uses a keyword outside the subset or a
     *     {@code $ref} that does not point into {@code #/$defs/}
     */
    public SubsetSchemaValidator(JsonNode schema) {
        this.root = schema;
        checkKeywords(schema, "#");
    }

    /** Every violation of the tree, in tree order; empty when it conforms. */
    public List<SchemaViolation> validate(Object tree) {
        List<SchemaViolation> violations = new ArrayList<>();
        check(root, tree, new ArrayList<>(), violations);
        return violations;
    }

    private void check(JsonNode schema, Object value, List<String> path, List<SchemaViolation> out) {
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                out.add(new SchemaViolation(path, "is not allowed here"));
            }
            return;
        }
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asText()), value, path, out);
        }
        if (schema.has("type") && !hasType(schema.get("type"), value)) {
            out.add(new SchemaViolation(path, "must be " + expected(schema.get("type")) + ", found " + describe(value)));
            return;
        }
        if (schema.has("enum") && !inEnum(schema.get("enum"), value)) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(v -> allowed.add(v.asText()));
            out.add(new SchemaViolation(path, "must be one of " + String.join(", ", allowed) + ", found " + describe(value)));
            return;
        }
        if (schema.has("minimum") && value instanceof Number number
                && new BigDecimal(number.toString()).compareTo(schema.get("minimum").decimalValue()) < 0) {
            out.add(new SchemaViolation(path, "must be at least " + schema.get("minimum").asText() + ", found " + number));
        }
        if (schema.has("minLength") && value instanceof String text
                && text.codePointCount(0, text.length()) < schema.get("minLength").asInt()) {
            out.add(new SchemaViolation(path, "must have at least " + schema.get("minLength").asInt()
                    + " character(s), found " + describe(value)));
        }
        if (value instanceof Map<?, ?> map) {
            checkMap(schema, map, path, out);
        } else if (value instanceof List<?> list && schema.has("items")) {
            for (int i = 0; i < list.size(); i++) {
                check(schema.get("items"), list.get(i), append(path, Integer.toString(i)), out);
            }
        }
    }

    private void checkMap(JsonNode schema, Map<?, ?> map, List<String> path, List<SchemaViolation> out) {
        JsonNode properties = schema.path("properties");
        if (schema.has("required")) {
            for (JsonNode required : schema.get("required")) {
                if (!map.containsKey(required.asText())) {
                    out.add(new SchemaViolation(path, "needs the key " + required.asText()));
                }
            }
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = (String) entry.getKey();
            List<String> at = append(path, key);
            if (properties.has(key)) {
                check(properties.get(key), entry.getValue(), at, out);
            } else if (schema.has("additionalProperties")) {
                JsonNode additional = schema.get("additionalProperties");
                if (additional.isBoolean() && !additional.booleanValue()) {
                    out.add(new SchemaViolation(at, unknownKey(key, properties)));
                } else {
                    check(additional, entry.getValue(), at, out);
                }
            }
        }
    }

    private static String unknownKey(String key, JsonNode properties) {
        Set<String> allowed = new TreeSet<>();
        properties.properties().forEach(property -> allowed.add(property.getKey()));
        String message = "unknown key";
        int tolerated = key.length() <= 4 ? 1 : 2;
        String near = allowed.stream().filter(name -> distance(name, key) <= tolerated).findFirst().orElse(null);
        if (near != null) {
            message += " (did you mean " + near + "?)";
        }
        return message + "; allowed: " + String.join(", ", allowed);
    }

    private JsonNode resolve(String ref) {
        return root.path("$defs").path(ref.substring("#/$defs/".length()));
    }

    private static boolean hasType(JsonNode type, Object value) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (hasType(one.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return hasType(type.asText(), value);
    }

    private static boolean hasType(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger
                    || value instanceof Number n && isWhole(n);
            default -> false;
        };
    }

    private static boolean isWhole(Number number) {
        try {
            return new BigDecimal(number.toString()).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false; // NaN, Infinity
        }
    }

    private static boolean inEnum(JsonNode values, Object value) {
        for (JsonNode allowed : values) {
            if (allowed.isTextual() && allowed.asText().equals(value)
                    || allowed.isNumber() && value instanceof Number n && allowed.asText().equals(n.toString())
                    || allowed.isBoolean() && Boolean.valueOf(allowed.booleanValue()).equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String expected(JsonNode type) {
        List<String> names = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> names.add(typeName(t.asText())));
        } else {
            names.add(typeName(type.asText()));
        }
        return String.join(" or ", names);
    }

    private static String typeName(String type) {
        return switch (type) {
            case "object" -> "a map";
            case "array" -> "a list";
            case "string" -> "a string";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            default -> type;
        };
    }

    /** A value as messages quote it: {@code a map}, {@code a list}, {@code the string "db1"}, {@code 12}. */
    static String describe(Object value) {
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof String) {
            return "the string \"" + value + "\"";
        }
        return String.valueOf(value);
    }

    private static List<String> append(List<String> path, String step) {
        List<String> result = new ArrayList<>(path);
        result.add(step);
        return result;
    }

    /** Edit distance counting a swap of two neighbours as one edit, so {@code hmoe} is one away from {@code home}. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static void checkKeywords(JsonNode schema, String where) {
        if (!schema.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException(where + ": schema keyword " + keyword + " is not supported");
            }
            switch (keyword) {
                case "properties", "$defs" -> value.properties().forEach(
                        e -> checkKeywords(e.getValue(), where + "/" + keyword + "/" + e.getKey()));
                case "additionalProperties", "items" -> checkKeywords(value, where + "/" + keyword);
                case "$ref" -> {
                    if (!value.asText().startsWith("#/$defs/")) {
                        throw new IllegalArgumentException(where + ": only local $refs into #/$defs/ are supported");
                    }
                }
                default -> { }
            }
        }
    }
}

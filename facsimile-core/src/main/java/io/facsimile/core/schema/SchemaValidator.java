package io.facsimile.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.facsimile.core.text.Suggestions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks plain trees (maps, lists, strings, numbers, booleans) against a JSON Schema (draft 2020-12) with
 * networknt's json-schema-validator, and words each violation for a person: {@code must be a whole number,
 * found the string "five"}, {@code unknown key (did you mean home?); allowed: ...}. Violations come in tree
 * order, one per value (a value of the wrong type is not also checked against its enum). Thread-safe.
 */
public final class SchemaValidator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final JsonSchema schema;

    /**
     * @param schema the parsed schema; draft 2020-12 unless its {@code $schema} names another draft
     * @throws IllegalArgumentException when the schema cannot be compiled (a {@code $ref} to nowhere)
     */
    public SchemaValidator(JsonNode schema) {
        this.root = schema;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ROOT)
                .build();
        try {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(schema, config);
            this.schema.initializeValidators();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the schema cannot be used: " + e.getMessage(), e);
        }
    }

    /** Every violation of the tree, in tree order; empty when it conforms. */
    public List<SchemaViolation> validate(Object tree) {
        JsonNode instance = toNode(tree);
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(instance));
        Set<JsonNodePath> wrongType = new HashSet<>();
        messages.stream().filter(m -> m.getType().equals("type")).forEach(m -> wrongType.add(m.getInstanceLocation()));
        List<SchemaViolation> violations = new ArrayList<>();
        for (ValidationMessage message : messages) {
            if (message.getType().equals("type") || !wrongType.contains(message.getInstanceLocation())) {
                violations.add(violation(message));
            }
        }
        violations.sort(Comparator.comparing(v -> treeOrder(instance, v.path()), SchemaValidator::compare));
        return violations;
    }

    private SchemaViolation violation(ValidationMessage message) {
        List<String> path = names(message.getInstanceLocation());
        JsonNode keyword = message.getSchemaNode();
        JsonNode value = message.getInstanceNode();
        return switch (message.getType()) {
            case "type" -> new SchemaViolation(path, "must be " + expected(keyword) + ", found " + describe(value));
            case "enum" ->
                new SchemaViolation(
                        path, "must be one of " + String.join(", ", texts(keyword)) + ", found " + describe(value));
            case "minimum" -> new SchemaViolation(path, "must be at least " + keyword.asText() + ", found " + value);
            case "minLength" ->
                new SchemaViolation(
                        path, "must have at least " + keyword.asInt() + " character(s), found " + describe(value));
            case "required" -> new SchemaViolation(path, "needs the key " + message.getProperty());
            case "additionalProperties" -> {
                List<String> at = new ArrayList<>(path);
                at.add(message.getProperty());
                yield new SchemaViolation(at, unknownKey(message.getProperty(), allowedKeys(message)));
            }
            case "false" -> new SchemaViolation(path, "is not allowed here");
            default -> new SchemaViolation(path, message.getError());
        };
    }

    /** The keys the object's schema names, read beside the {@code additionalProperties} that refused a key. */
    private Set<String> allowedKeys(ValidationMessage message) {
        JsonNodePath at = message.getSchemaLocation().getFragment().getParent();
        Set<String> allowed = new TreeSet<>();
        root.at(at == null ? "" : at.toString()).path("properties").fieldNames().forEachRemaining(allowed::add);
        return allowed;
    }

    private static String unknownKey(String key, Set<String> allowed) {
        return "unknown key" + Suggestions.didYouMean(key, allowed) + "; allowed: " + String.join(", ", allowed);
    }

    private static List<String> names(JsonNodePath path) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            names.add(path.getName(i));
        }
        return names;
    }

    private static List<String> texts(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(value -> texts.add(value.asText()));
        return texts;
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
    private static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isObject()) {
            return "a map";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "the string \"" + value.asText() + "\"";
        }
        return value.toString();
    }

    /** The position of each step of the path among its siblings, so violations sort as the values stand. */
    private static List<Integer> treeOrder(JsonNode instance, List<String> path) {
        List<Integer> order = new ArrayList<>();
        JsonNode node = instance;
        for (String step : path) {
            int position = 0;
            if (node.isObject()) {
                var names = node.fieldNames();
                while (names.hasNext() && !names.next().equals(step)) {
                    position++;
                }
            } else if (node.isArray()) {
                position = Integer.parseInt(step);
            }
            order.add(position);
            node = node.isArray() ? node.path(position) : node.path(step);
        }
        return order;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The tree as JSON nodes, key order kept; a value of any other type is checked as its text. */
    private static JsonNode toNode(Object value) {
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, child) -> object.set(String.valueOf(key), toNode(child)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(child -> array.add(toNode(child)));
            return array;
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return NODES.numberNode(new BigInteger(value.toString()));
        }
        if (value instanceof Double || value instanceof Float) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof Number number) {
            return NODES.numberNode(new BigDecimal(number.toString()));
        }
        return NODES.textNode(value.toString());
    }
}

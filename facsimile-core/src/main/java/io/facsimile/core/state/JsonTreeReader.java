package io.facsimile.core.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads JSON into jackson-databind's tree nodes with jackson-core's streaming parser, without an object
 * mapper: a run that only reads a state loads and configures none (several hundred classes in a fresh
 * JVM). Strict as the state's mapper was: a repeated key or anything after the value is an error, and
 * a decimal keeps its digits as written.
 */
final class JsonTreeReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTreeReader() {}

    /**
     * The one JSON value {@code content} holds, or {@code null} when it holds only white space.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException with the position of what is wrong
     */
    static JsonNode read(byte[] content) throws IOException {
        try (JsonParser parser = JSON.createParser(content)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            JsonNode root = value(parser, token);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Trailing token after the JSON value");
            }
            return root;
        }
    }

    /** The value that starts with {@code token}; the parser's depth limit bounds the recursion. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return DecimalNode.valueOf(parser.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new JsonParseException(parser, "Unexpected " + token);
        }
    }
}

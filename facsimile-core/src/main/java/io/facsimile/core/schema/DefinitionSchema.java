package io.facsimile.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.format.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON Schema of definition layers, {@value #RESOURCE} on the class path: the reserved keys
 * ({@code deploy}, {@code install}, {@code modules}, {@code service}, {@code config}, {@code state},
 * {@code inherit}) with their types; every other top-level key is free. Editors use the same file for
 * completion; {@code validate} checks each resolved definition against it.
 */
public final class DefinitionSchema {

    /** Where the schema lies on the class path. */
    public static final String RESOURCE = "io/facsimile/core/schema/definition.schema.json";

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,9}");

    private static final DefinitionSchema INSTANCE = new DefinitionSchema(load());

    private final SchemaValidator validator;

    private DefinitionSchema(JsonNode schema) {
        this.validator = new SchemaValidator(schema);
    }

    /** The schema shipped with this library. */
    public static DefinitionSchema get() {
        return INSTANCE;
    }

    /**
     * Checks a resolved definition (after merging and interpolation, so {@code keep: ${prop.keep}}
     * is checked as the value it became).
     *
     * @return one message per violation, {@code file:line:column: path message}, naming the layer
     *     that wrote the offending value; empty when the definition conforms
     */
    public List<String> check(Definition definition) {
        return validator.validate(definition.tree()).stream()
                .filter(v -> !isWholeNumberText(definition, v))
                .map(v -> where(definition, v) + ": " + (v.path().isEmpty() ? "the definition" : v.dottedPath()) + " "
                        + v.message() + modeHint(definition, v))
                .toList();
    }

    /**
     * For a file mode written as a number: YAML reads {@code 0640} unquoted as the number 416, so say how to
     * write it, as the install planner does.
     */
    private static String modeHint(Definition definition, SchemaViolation violation) {
        List<String> path = violation.path();
        boolean mode = !path.isEmpty()
                && (path.get(path.size() - 1).equals("mode")
                        || path.size() > 1 && path.get(path.size() - 2).equals("modes"));
        return mode && definition.get(path).orElse(null) instanceof Number
                ? "; write a mode as octal in quotes, such as \"0640\" (unquoted, YAML reads 0640 as the number 416)"
                : "";
    }

    /**
     * A whole number written as text, as {@code serial: ${prop.serial}} becomes after interpolation
     * (properties are text), is a whole number to the goals that read it, so it is to the schema too.
     */
    private static boolean isWholeNumberText(Definition definition, SchemaViolation violation) {
        return violation.message().startsWith("must be a whole number")
                && definition.get(violation.path()).orElse(null) instanceof String text
                && WHOLE_NUMBER.matcher(text.strip()).matches();
    }

    private static String where(Definition definition, SchemaViolation violation) {
        List<String> path = violation.path();
        for (int depth = path.size(); depth > 0; depth--) {
            var origin = definition.origin(String.join(".", path.subList(0, depth)));
            if (origin.isPresent()) {
                return origin.get().toString();
            }
        }
        return definition.layers().isEmpty()
                ? definition.instance()
                : Origin.ofFile(definition
                                .layers()
                                .get(definition.layers().size() - 1)
                                .file())
                        .toString();
    }

    private static JsonNode load() {
        try (InputStream in = DefinitionSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}

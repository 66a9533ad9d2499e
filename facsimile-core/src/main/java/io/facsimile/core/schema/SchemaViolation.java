package io.facsimile.core.schema;

import java.util.List;

/**
 * One place where a tree breaks its schema.
 *
 * @param path the path of the offending value: map keys and list indexes
 * @param message what is wrong, e.g. {@code must be a whole number, found "five"}
 */
public record SchemaViolation(List<String> path, String message) {

    public SchemaViolation {
        path = List.copyOf(path);
    }

    /** The path with dots, e.g. {@code deploy.nodes.db}. */
    public String dottedPath() {
        return String.join(".", path);
    }
}

package io.facsimile.core.text;

import java.util.List;
import java.util.Map;

/** How an error message quotes a value found where another was expected. */
public final class Quoted {

    private Quoted() {}

    /** {@code "db1"} for a string, {@code a map}, {@code a list}, else the value as it prints: {@code 12}. */
    public static String describe(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(value);
    }
}

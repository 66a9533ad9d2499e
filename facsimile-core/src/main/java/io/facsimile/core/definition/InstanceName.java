package io.facsimile.core.definition;

import java.util.List;
import java.util.regex.Pattern;

/** Rules for instance and layer names: dot-separated segments of letters, digits, {@code _} and {@code -}. */
final class InstanceName {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private InstanceName() {}

    static boolean isValid(String name) {
        return name != null
                && !name.isEmpty()
                && !name.startsWith(".")
                && !name.endsWith(".")
                && List.of(name.split("\\.", -1)).stream()
                        .allMatch(s -> SEGMENT.matcher(s).matches());
    }

    /** The segments of a valid instance name, or a {@link DefinitionException} that says what is wrong. */
    static List<String> segments(String name) {
        if (!isValid(name)) {
            throw new DefinitionException("invalid instance name '" + name + "': use dot-separated segments of"
                    + " letters, digits, '_' and '-', e.g. prod or prod.eu1");
        }
        return List.of(name.split("\\."));
    }
}

package io.facsimile.core.definition;

import java.util.List;
import java.util.regex.Pattern;

/** Rules for instance and layer names: dot-separated segments of letters, digits, {@code _} and {@code -}. */
public final class InstanceName {

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

    /**
     * {@code name} when it is a valid instance name, checked before a path is made of it (a name from the pom's
     * list, not typed on the command line, is not checked earlier); a {@link DefinitionException} otherwise.
     */
    public static String checked(String name) {
        segments(name);
        return name;
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

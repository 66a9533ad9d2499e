package io.facsimile.core.describe;

import io.facsimile.core.FacsimileException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code describe}, its explanations and {@code list} are printed. */
public enum OutputFormat {
    /** Aligned lines for people. */
    TEXT,
    /** One JSON document, for tools. */
    JSON,
    /** One YAML document, for tools and people. */
    YAML;

    /**
     * The format named {@code name} ({@code text}, {@code json}, {@code yaml}, any case); {@code null}
     * or blank means {@link #TEXT}.
     *
     * @throws FacsimileException (a user error) for any other name
     */
    public static OutputFormat parse(String name) {
        if (name == null || name.isBlank()) {
            return TEXT;
        }
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FacsimileException("unknown output format \"" + name + "\"; use one of "
                    + Arrays.stream(values())
                            .map(f -> f.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")));
        }
    }
}

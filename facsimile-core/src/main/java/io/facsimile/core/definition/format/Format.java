package io.facsimile.core.definition.format;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The file formats a definition may be written in, chosen by the file's extension. */
public enum Format {
    JSON("json"),
    YAML("yaml", "yml"),
    TOML("toml");

    private final List<String> extensions;

    Format(String... extensions) {
        this.extensions = List.of(extensions);
    }

    /** The extensions of this format, without the dot, preferred first. */
    public List<String> extensions() {
        return extensions;
    }

    /** The format of a file by its extension (case-insensitive), or empty when it is not a definition file. */
    public static Optional<Format> of(Path file) {
        String extension = extension(file);
        return Arrays.stream(values())
                .filter(f -> f.extensions.contains(extension))
                .findFirst();
    }

    /** Every extension of every format, in a stable order: {@code json, yaml, yml, toml}. */
    public static List<String> allExtensions() {
        return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).toList();
    }

    /**
     * The name of a definition file without its extension ({@code prod.eu1} for {@code prod.eu1.yaml}),
     * or empty when the file has no definition extension.
     */
    public static Optional<String> baseName(Path file) {
        String name = file.getFileName().toString();
        return of(file).map(f -> name.substring(0, name.lastIndexOf('.')));
    }

    private static String extension(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return "";
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

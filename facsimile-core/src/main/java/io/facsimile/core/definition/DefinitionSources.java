package io.facsimile.core.definition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where the layers of a project live: its definitions directory and, searched first with lower
 * precedence, shared directories of instance data (a conglomerate of projects sharing regions,
 * databases, hosts).
 *
 * @param directory the definitions directory, e.g. {@code src/main/facsimile}
 * @param sharedDirectories shared definition directories, lowest precedence first
 */
public record DefinitionSources(Path directory, List<Path> sharedDirectories) {

    /** The default definitions directory, relative to the project directory. */
    public static final Path DEFAULT_DIRECTORY = Path.of("src", "main", "facsimile");

    /** The directory older projects use; taken when the default does not exist and this one does. */
    public static final Path LEGACY_DIRECTORY = Path.of("config", "facsimile");

    public DefinitionSources {
        Objects.requireNonNull(directory, "directory");
        sharedDirectories = List.copyOf(sharedDirectories);
    }

    /**
     * The sources of a project.
     *
     * @param basedir the project directory; relative paths are resolved against it
     * @param configured the configured definitions directory, or {@code null} for the default {@code
     *     src/main/facsimile}, falling back to {@code config/facsimile} when only that one exists
     * @param shared shared definition directories, lowest precedence first ({@code null} for none)
     */
    public static DefinitionSources locate(Path basedir, Path configured, List<Path> shared) {
        Path directory;
        if (configured != null) {
            directory = basedir.resolve(configured);
        } else {
            Path standard = basedir.resolve(DEFAULT_DIRECTORY);
            Path legacy = basedir.resolve(LEGACY_DIRECTORY);
            directory = !Files.isDirectory(standard) && Files.isDirectory(legacy) ? legacy : standard;
        }
        List<Path> sharedDirectories = shared == null
                ? List.of()
                : shared.stream().map(basedir::resolve).toList();
        return new DefinitionSources(directory, sharedDirectories);
    }

    /** Every directory to search for a layer, in precedence order: shared directories, then the definitions directory. */
    public List<Path> searchOrder() {
        return Stream.concat(sharedDirectories.stream(), Stream.of(directory)).toList();
    }
}

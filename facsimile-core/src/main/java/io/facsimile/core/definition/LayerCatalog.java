package io.facsimile.core.definition;

import io.facsimile.core.definition.format.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Finds layer files by name in the directories of a {@link DefinitionSources}. */
record LayerCatalog(DefinitionSources sources) {

    /** Fails unless every shared directory exists; the definitions directory must exist when {@code required}. */
    void checkDirectories(boolean required) {
        for (Path shared : sources.sharedDirectories()) {
            if (!Files.isDirectory(shared)) {
                throw new DefinitionException("shared definitions directory " + shared
                        + " does not exist; create it or remove it from sharedDefinitionsDirectories");
            }
        }
        if (required && !Files.isDirectory(sources.directory())) {
            throw new DefinitionException("definitions directory " + sources.directory() + " does not exist; create it"
                    + " with a facsimile.yaml and one file per instance, or set definitionsDirectory");
        }
    }

    /** Every file of the layer {@code name}, lowest precedence first: shared directories, then the definitions directory. */
    List<Path> files(String name) {
        List<Path> files = new ArrayList<>();
        for (Path directory : sources.searchOrder()) {
            fileIn(directory, name).ifPresent(files::add);
        }
        return files;
    }

    /** The file of {@code name} in one directory, whatever its format; two formats of one name are an error. */
    static Optional<Path> fileIn(Path directory, String name) {
        List<Path> found = Format.allExtensions().stream()
                .map(extension -> directory.resolve(name + "." + extension))
                .filter(Files::isRegularFile)
                .toList();
        if (found.size() > 1) {
            throw new DefinitionException("layer '" + name + "' is defined twice in " + directory + ": "
                    + String.join(
                            " and ",
                            found.stream().map(p -> p.getFileName().toString()).toList())
                    + "; keep one of them");
        }
        return found.stream().findFirst();
    }

    /** The names of every layer file in every existing directory. */
    SortedSet<String> names() {
        SortedSet<String> names = new TreeSet<>();
        for (Path directory : sources.searchOrder()) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(Files::isRegularFile)
                        .map(Format::baseName)
                        .flatMap(Optional::stream)
                        .forEach(names::add);
            } catch (IOException e) {
                throw new DefinitionException("cannot list " + directory + ": " + e.getMessage(), e);
            }
        }
        return names;
    }
}

package io.facsimile.core.definition.format;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed definition file: its root value (a map for layers, a list for {@code modules.yaml})
 * and the origin of every value in it.
 *
 * @param file the file it was read from
 * @param root {@code Map<String,Object>}, {@code List<Object>} or a scalar; {@code null} values are
 *     kept (they mean "remove" when merging)
 * @param origins origin of each value and container, keyed by its path of map keys and list
 *     indexes (as strings); the empty list is the root
 */
public record Document(Path file, Object root, Map<List<String>, Origin> origins) {

    public Document {
        origins = Map.copyOf(origins);
    }

    /** The origin of the value at a path, or the file alone when unknown. */
    public Origin origin(List<String> path) {
        return Optional.ofNullable(origins.get(path)).orElse(Origin.ofFile(file));
    }
}

package io.facsimile.core.definition;

import io.facsimile.core.definition.Definition.Contribution;
import io.facsimile.core.definition.Definition.Layer;
import io.facsimile.core.definition.format.Document;
import io.facsimile.core.definition.format.Origin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree being built from layers, with the origin of each winning value and the history of every
 * value any layer wrote. Mutable; lives for one resolution.
 */
final class LayeredTree {

    private final Map<String, Object> tree = new LinkedHashMap<>();
    private final Map<List<String>, Origin> origins = new HashMap<>();
    private final Map<List<String>, List<Contribution>> history = new HashMap<>();
    private final List<Layer> layers = new ArrayList<>();

    /** Merges one layer's content (its top-level map without {@code inherit}) over what is there. */
    void apply(String name, Document document, Map<String, Object> content) {
        rejectNullElements(content, List.of(), document);
        layers.add(new Layer(name, document.file()));
        TreeMerge.mergeInto(tree, content, List.of(), new TreeMerge.Listener() {
            @Override
            public void written(List<String> path, Object value) {
                if (!(value instanceof Map)) {
                    history.computeIfAbsent(path, p -> new ArrayList<>())
                            .add(new Contribution(document.origin(path), Frozen.tree(value)));
                }
                if (value != null) {
                    origins.put(path, document.origin(path));
                }
            }

            @Override
            public void cleared(List<String> path) {
                origins.keySet()
                        .removeIf(p -> p.size() >= path.size()
                                && p.subList(0, path.size()).equals(path));
            }
        });
    }

    Map<String, Object> tree() {
        return tree;
    }

    Map<List<String>, Origin> origins() {
        return origins;
    }

    Map<List<String>, List<Contribution>> history() {
        return history;
    }

    List<Layer> layers() {
        return layers;
    }

    // A null means "remove this key" in a map; in a list it means nothing, so say so early.
    private static void rejectNullElements(Object value, List<String> path, Document document) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> rejectNullElements(element, TreeMerge.append(path, (String) key), document));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<String> at = TreeMerge.append(path, Integer.toString(i));
                if (list.get(i) == null) {
                    throw new DefinitionException(document.origin(at) + ": " + String.join(".", at)
                            + ": a list element cannot be null; remove it or quote it");
                }
                rejectNullElements(list.get(i), at, document);
            }
        }
    }
}

package io.facsimile.core.definition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Dotted paths into plain trees: map keys by name, list elements by index ({@code deploy.postcmd.0}). */
final class DottedPath {

    private DottedPath() {}

    static List<String> split(String dotted) {
        return dotted.isEmpty() ? List.of() : List.of(dotted.split("\\.", -1));
    }

    /** The value at a path below {@code root}, if every step exists. */
    static Optional<Object> get(Object root, List<String> path) {
        Object node = root;
        for (String step : path) {
            Optional<Object> child = child(node, step);
            if (child.isEmpty()) {
                return Optional.empty();
            }
            node = child.get();
        }
        return Optional.ofNullable(node);
    }

    /** One step down: a map's key or a list's index. */
    static Optional<Object> child(Object node, String step) {
        if (node instanceof Map<?, ?> map) {
            return Optional.ofNullable(map.get(step));
        }
        if (node instanceof List<?> list && isIndex(step)) {
            int index = Integer.parseInt(step);
            return index < list.size() ? Optional.ofNullable(list.get(index)) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isIndex(String step) {
        return !step.isEmpty() && step.length() <= 9 && step.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}

package io.facsimile.core.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge rule of layered definitions: maps merge key by key, recursively; lists and scalars
 * replace; an explicit {@code null} removes the key.
 *
 * <p>Lists replace rather than concatenate so that a later layer can always say exactly what a
 * list holds (a node list, a command list); appending would leave no way to drop an element.
 */
public final class TreeMerge {

    /** Told about every value an overlay writes, so callers can keep origins and history. */
    interface Listener {
        /** The overlay wrote {@code value} (a map, list, scalar or {@code null}) at {@code path}. */
        void written(List<String> path, Object value);

        /** Whatever was at {@code path} and below is gone (removed or replaced). */
        void cleared(List<String> path);
    }

    private static final Listener SILENT = new Listener() {
        @Override
        public void written(List<String> path, Object value) {}

        @Override
        public void cleared(List<String> path) {}
    };

    private TreeMerge() {}

    /**
     * Merges {@code overlay} over {@code base} into a new tree; neither argument is changed. Nulls in
     * maps of the overlay remove keys; nulls in maps the overlay introduces are dropped.
     */
    public static Map<String, Object> merge(Map<String, ?> base, Map<String, ?> overlay) {
        Map<String, Object> result = copyMap(base, List.of(), SILENT);
        mergeInto(result, overlay, List.of(), SILENT);
        return result;
    }

    /** Merges {@code overlay} into the mutable {@code target} below {@code path}, telling the listener. */
    @SuppressWarnings("unchecked")
    static void mergeInto(Map<String, Object> target, Map<String, ?> overlay, List<String> path, Listener listener) {
        for (Map.Entry<String, ?> entry : overlay.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            List<String> at = append(path, key);
            Object current = target.get(key);
            if (value instanceof Map<?, ?> map && current instanceof Map<?, ?>) {
                listener.written(at, value);
                mergeInto((Map<String, Object>) current, (Map<String, ?>) map, at, listener);
                continue;
            }
            if (target.containsKey(key)) {
                listener.cleared(at);
            }
            listener.written(at, value);
            if (value == null) {
                target.remove(key);
            } else {
                target.put(key, copy(value, at, listener));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object value, List<String> path, Listener listener) {
        if (value instanceof Map<?, ?> map) {
            return copyMap((Map<String, ?>) map, path, listener);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                List<String> at = append(path, Integer.toString(copy.size()));
                listener.written(at, element);
                copy.add(copy(element, at, listener));
            }
            return copy;
        }
        return value;
    }

    private static Map<String, Object> copyMap(Map<String, ?> map, List<String> path, Listener listener) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            List<String> at = append(path, entry.getKey());
            listener.written(at, entry.getValue());
            if (entry.getValue() != null) {
                copy.put(entry.getKey(), copy(entry.getValue(), at, listener));
            }
        }
        return copy;
    }

    static List<String> append(List<String> path, String key) {
        List<String> result = new ArrayList<>(path.size() + 1);
        result.addAll(path);
        result.add(key);
        return List.copyOf(result);
    }
}

package io.facsimile.core.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Deep unmodifiable copies of definition trees, so one template cannot change what the next sees.
 *
 * <p>Maps that have an order ({@link LinkedHashMap}, as parsers build them, or {@link SortedMap})
 * keep it; any other map is sorted by key, because the iteration order of a {@code HashMap} or
 * {@code Map.of} can change between runs and {@code #foreach} output must not.
 */
final class FrozenData {

    private FrozenData() {}

    /** A deep unmodifiable copy of maps and lists (order kept, {@code null} values allowed); other values as they are. */
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copyMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copy(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** {@link #copy(Object)} for a map with string keys. */
    static Map<String, Object> copyMap(Map<?, ?> map) {
        Map<String, Object> copy = newMapLike(map);
        map.forEach((key, item) -> copy.put(String.valueOf(key), copy(item)));
        return Collections.unmodifiableMap(copy);
    }

    /** An empty map that iterates in {@code original}'s order when it has one, else in key order. */
    static <V> Map<String, V> newMapLike(Map<?, ?> original) {
        return original instanceof LinkedHashMap || original instanceof SortedMap ? new LinkedHashMap<>() : new TreeMap<>();
    }
}

package io.facsimile.core.definition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one deep freeze of plain trees (maps, lists, scalars): definitions, modules and what templates
 * see are deeply unmodifiable copies made here.
 *
 * <p>Maps that have an order ({@link LinkedHashMap}, as parsers build them, or {@link SortedMap})
 * keep it, and so do maps frozen here; any other map is sorted by key, because the iteration order of a {@code HashMap} or
 * {@code Map.of} can change between runs and rendered output must not.
 */
public final class Frozen {

    /** The class of the maps made here, whose order is already fixed. */
    private static final Class<?> FROZEN =
            Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();

    private Frozen() {}

    /** A deep unmodifiable copy of maps and lists ({@code null} values allowed); other values as they are. */
    public static Object tree(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(tree(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** {@link #tree(Object)} for a map, whose keys become strings. */
    public static Map<String, Object> map(Map<?, ?> map) {
        Map<String, Object> copy = newMapLike(map);
        map.forEach((key, element) -> copy.put(String.valueOf(key), tree(element)));
        return Collections.unmodifiableMap(copy);
    }

    /** An empty map that iterates in {@code original}'s order when it has one, else in key order. */
    public static <V> Map<String, V> newMapLike(Map<?, ?> original) {
        return original instanceof LinkedHashMap || original instanceof SortedMap || original.getClass() == FROZEN
                ? new LinkedHashMap<>()
                : new TreeMap<>();
    }
}

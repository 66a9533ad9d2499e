package io.facsimile.core.definition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deeply unmodifiable copies of plain trees (insertion order kept). */
final class Frozen {

    private Frozen() {}

    static Object tree(Object value) {
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

    static Map<String, Object> map(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, element) -> copy.put((String) key, tree(element)));
        return Collections.unmodifiableMap(copy);
    }
}

package io.facsimile.core.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, order-keeping, unmodifiable copies of definition trees, so one template cannot change what the next sees. */
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
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, item) -> copy.put(String.valueOf(key), copy(item)));
        return Collections.unmodifiableMap(copy);
    }
}

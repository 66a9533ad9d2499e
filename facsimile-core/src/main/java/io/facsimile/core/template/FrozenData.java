package io.facsimile.core.template;

import io.facsimile.core.definition.Frozen;
import java.util.Map;

/** Deep unmodifiable copies of definition trees, so one template cannot change what the next sees: {@link Frozen}. */
final class FrozenData {

    private FrozenData() {}

    static Object copy(Object value) {
        return Frozen.tree(value);
    }

    static Map<String, Object> copyMap(Map<?, ?> map) {
        return Frozen.map(map);
    }

    static <V> Map<String, V> newMapLike(Map<?, ?> original) {
        return Frozen.newMapLike(original);
    }
}

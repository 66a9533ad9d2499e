package io.facsimile.core.deploy;

import io.facsimile.core.definition.format.Origin;
import io.facsimile.core.text.Quoted;
import io.facsimile.core.text.StringLists;
import io.facsimile.core.text.Suggestions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the {@code deploy} block value by value. Every error starts where the value was written and
 * names its key, as validate's schema errors do: {@code prod.yaml:4:5: deploy.keep must be a positive
 * integer, found the string "five"}; a misspelt key gets the nearest known key as a suggestion.
 */
final class SpecReader {

    private final Function<String, Optional<Origin>> origins;

    /** @param origins where the value at a dotted path was written (a definition's {@code origin}) */
    SpecReader(Function<String, Optional<Origin>> origins) {
        this.origins = origins;
    }

    /** A reader for a tree that came from no file: errors name the key only. */
    static SpecReader withoutOrigins() {
        return new SpecReader(path -> Optional.empty());
    }

    /** A user error about the value at {@code path}: {@code file:line:column: path what}. */
    DeployException error(String path, String what) {
        return near(path, path + " " + what);
    }

    /** A user error placed where the value at {@code path} was written: {@code file:line:column: message}. */
    DeployException near(String path, String message) {
        return new DeployException(where(path) + message);
    }

    /** {@code file:line:column: } of the value at {@code path}, or of the nearest map around it; empty if none. */
    private String where(String path) {
        for (String at = path; !at.isEmpty(); at = at.contains(".") ? at.substring(0, at.lastIndexOf('.')) : "") {
            Optional<Origin> origin = origins.apply(at);
            if (origin.isPresent()) {
                return origin.get() + ": ";
            }
        }
        return "";
    }

    /** The map at {@code path}: empty when absent, an error naming {@code expected} when not a map. */
    Map<?, ?> map(Object value, String path, String expected) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw error(path, "must be " + expected + ", found " + Quoted.describe(value));
    }

    /** Refuses a key of the map at {@code path} that is not {@code known}, suggesting the nearest known one. */
    void knownKeys(Map<?, ?> map, String path, Set<String> known, String kind) {
        for (Object key : map.keySet()) {
            String name = String.valueOf(key);
            if (!known.contains(name)) {
                throw error(
                        path + "." + name,
                        "is not " + kind + Suggestions.didYouMean(name, known) + "; known are " + new TreeSet<>(known));
            }
        }
    }

    /** The text at {@code path.key}; a number or boolean as its text; {@code null} when absent. */
    String string(Map<?, ?> map, String path, String key) {
        Object v = map.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw error(path + "." + key, "must be a string, found " + Quoted.describe(v));
    }

    /** The strings at {@code path.key}: a list of them or one string; empty when absent. */
    List<String> strings(Map<?, ?> map, String path, String key) {
        return StringLists.of(
                map.get(key),
                (i, found) -> i < 0
                        ? error(
                                path + "." + key,
                                "must be a list of strings or a string, found " + Quoted.describe(found))
                        : error(path + "." + key + "." + i, "must be a string, found " + Quoted.describe(found)));
    }

    /** The whole number at {@code path.key}, at least {@code min} (0 or 1), or {@code dflt} when absent. */
    int integer(Map<?, ?> map, String path, String key, int dflt, int min) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        Integer n = null;
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            n = l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (int) l : null;
        } else if (v instanceof String s && s.trim().matches("-?\\d{1,9}")) {
            n = Integer.parseInt(s.trim());
        }
        if (n == null || n < min) {
            String expected = min > 0 ? "a positive integer" : "0 or a positive integer";
            throw error(path + "." + key, "must be " + expected + ", found " + Quoted.describe(v));
        }
        return n;
    }

    /** The value at {@code path.key} among {@code choices} by their names, case aside; {@code dflt} when absent. */
    <E> E choice(Map<?, ?> map, String path, String key, Map<String, E> choices, E dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        E chosen = choices.get(String.valueOf(v).toLowerCase(Locale.ROOT));
        if (chosen == null) {
            throw error(
                    path + "." + key,
                    "must be " + String.join(" or ", choices.keySet()) + ", found " + Quoted.describe(v));
        }
        return chosen;
    }

    /** The values of an enum by the name a definition writes them with, in declaration order. */
    static <E> Map<String, E> byKey(E[] values, Function<E, String> key) {
        Map<String, E> byKey = new LinkedHashMap<>();
        for (E value : values) {
            byKey.put(key.apply(value), value);
        }
        return byKey;
    }

    /** The duration at {@code path.key} ({@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}), or {@code dflt}. */
    Duration duration(Map<?, ?> map, String path, String key, Duration dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw error(path + "." + key, e.getMessage());
        }
    }

    /** The node address at {@code path}: {@code host}, {@code host:port} or {@code [v6]:port}. */
    NodeAddress address(String spec, String path) {
        try {
            return NodeAddress.parse(spec);
        } catch (IllegalArgumentException e) {
            throw near(path, path + ": " + e.getMessage());
        }
    }
}

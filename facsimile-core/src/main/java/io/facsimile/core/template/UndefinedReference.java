package io.facsimile.core.template;

import io.facsimile.core.text.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What to tell a person about a reference strict mode found undefined: the nearest key that does exist,
 * the modules for {@code $module.X}, and for a name that is no template variable at all how to write a
 * literal {@code $} (shell, systemd and nginx files carry variables of their own).
 */
final class UndefinedReference {

    private UndefinedReference() {}

    /** {@code "undefined reference $a.b"} followed by the hint, if there is one. */
    static String describe(String reference, Map<String, Object> variables) {
        return "undefined reference " + reference + hint(reference, variables);
    }

    private static String hint(String reference, Map<String, Object> variables) {
        List<String> path = path(reference);
        if (path.isEmpty()) {
            return "";
        }
        String root = path.get(0);
        if (!variables.containsKey(root)) {
            String near = Suggestions.didYouMean(root, variables.keySet()).replace("mean ", "mean $");
            String plain = reference.replace("$!", "$");
            return near + "; no template variable is called " + root + ": to write " + plain
                    + " as it is, put a backslash before it (\\" + plain + ") or the text inside #[[ ... ]]#";
        }
        Object value = variables.get(root);
        for (int i = 1; i < path.size(); i++) {
            if (!(value instanceof Map<?, ?> map)) {
                return "";
            }
            String key = path.get(i);
            if (!map.containsKey(key)) {
                TreeSet<String> keys = new TreeSet<>();
                map.keySet().forEach(k -> keys.add(String.valueOf(k)));
                String near = Suggestions.didYouMean(key, keys);
                if (i == 1 && root.equals("module")) {
                    return near + "; modules: " + (keys.isEmpty() ? "none" : String.join(", ", keys));
                }
                return near;
            }
            value = map.get(key);
        }
        return "";
    }

    /** The names of {@code $a.b.c}, {@code ${a.b}} or {@code $!a.b}, up to the first method call. */
    private static List<String> path(String reference) {
        String names = reference.replaceFirst("^\\$!?\\{?", "").replaceFirst("}$", "");
        int call = names.indexOf('(');
        if (call >= 0) {
            names = names.substring(0, names.lastIndexOf('.', call) < 0 ? 0 : names.lastIndexOf('.', call));
        }
        return names.isEmpty() ? List.of() : List.of(names.split("\\."));
    }
}

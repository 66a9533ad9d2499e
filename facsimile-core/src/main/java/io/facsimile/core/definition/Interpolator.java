package io.facsimile.core.definition;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.format.Origin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces the {@code ${...}} references in the string values of a merged tree:
 * {@code ${env.NAME}}, {@code ${prop.NAME}}, {@code ${project.version|groupId|artifactId|name}},
 * {@code ${instance}} and {@code ${ref:dotted.path}}; any of them may end in {@code :-fallback}
 * (taken when the reference is unset or empty, like the shell). <code>$${</code> is a literal
 * <code>${</code>.
 *
 * <p>A reference that is the whole value keeps the type of what it names (a number, a map); inside
 * longer text it must name a scalar. Lives for one resolution.
 */
final class Interpolator {

    private final Map<String, Object> raw;
    private final Map<List<String>, Origin> origins;
    private final Path fallbackFile;
    private final ProjectContext project;
    private final String instance;
    private final Map<List<String>, Object> resolved = new HashMap<>();
    private final LinkedHashSet<List<String>> inProgress = new LinkedHashSet<>();
    private final Set<String> environment = new TreeSet<>();

    /** How many values may be resolving at once, each through a reference in the one before: a chain's depth. */
    static final int MAX_DEPTH = 200;
    /** The longest text a value may become once its references are replaced, in characters (1 MiB). */
    static final int MAX_LENGTH = 1 << 20;

    Interpolator(LayeredTree tree, Path fallbackFile, ProjectContext project, String instance) {
        this.raw = tree.tree();
        this.origins = tree.origins();
        this.fallbackFile = fallbackFile;
        this.project = project;
        this.instance = instance;
    }

    /** The environment variables the references looked up so far, set or not, sorted. */
    Set<String> environment() {
        return Collections.unmodifiableSet(environment);
    }

    /** The interpolated tree, deeply unmodifiable. */
    @SuppressWarnings("unchecked")
    Map<String, Object> interpolate() {
        return (Map<String, Object>) resolve(List.of(), raw);
    }

    private Object resolve(List<String> path, Object value) {
        if (resolved.containsKey(path)) {
            return resolved.get(path);
        }
        if (inProgress.size() >= MAX_DEPTH && !inProgress.contains(path)) {
            throw error(
                    path,
                    "references nested more than " + MAX_DEPTH + " deep (each value a reference to the"
                            + " next); shorten the chain of ${ref:…}");
        }
        if (!inProgress.add(path)) {
            List<List<String>> open = new ArrayList<>(inProgress);
            List<String> chain = new ArrayList<>();
            open.subList(open.indexOf(path), open.size()).forEach(p -> chain.add(String.join(".", p)));
            chain.add(String.join(".", path));
            throw error(path, "reference cycle " + String.join(" -> ", chain));
        }
        Object result;
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) ->
                    copy.put((String) key, resolve(TreeMerge.append(path, (String) key), element)));
            result = Collections.unmodifiableMap(copy);
        } else if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(resolve(TreeMerge.append(path, Integer.toString(copy.size())), element));
            }
            result = Collections.unmodifiableList(copy);
        } else if (value instanceof String text) {
            result = interpolate(text, path);
        } else {
            result = value;
        }
        inProgress.remove(path);
        resolved.put(path, result);
        return result;
    }

    /** The value of a text with its references replaced; a text that is one reference keeps the referenced type. */
    private Object interpolate(String text, List<String> path) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    throw error(
                            path, "unterminated ${ in \"" + text + "\"; close it with } or write $${ for a literal ${");
                }
                Object value = evaluate(text.substring(i + 2, end), path);
                if (i == 0 && end == text.length() - 1) {
                    return value;
                }
                out.append(asText(value, text.substring(i, end + 1), path));
                if (out.length() > MAX_LENGTH) {
                    throw error(
                            path,
                            "is longer than 1 MiB once its references are replaced (a value that repeats"
                                    + " references which repeat others grows without bound); check its ${ref:…}");
                }
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The index of the brace that closes a reference whose body starts at {@code from}, or -1. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        int i = from;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                i += 3;
            } else if (text.startsWith("${", i)) {
                depth++;
                i += 2;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private Object evaluate(String expression, List<String> path) {
        int split = fallbackSeparator(expression);
        String reference = split < 0 ? expression : expression.substring(0, split);
        Optional<Object> value = lookup(reference, path);
        if (split >= 0 && value.filter(v -> !"".equals(v)).isEmpty()) {
            return interpolate(expression.substring(split + 2), path);
        }
        return value.orElseThrow(() -> error(path, unset(reference)));
    }

    /** The position of the {@code :-} that starts a fallback, outside nested references; -1 when none. */
    private static int fallbackSeparator(String expression) {
        int depth = 0;
        for (int i = 0; i < expression.length() - 1; i++) {
            if (expression.startsWith("${", i)) {
                depth++;
                i++;
            } else if (expression.charAt(i) == '}') {
                depth--;
            } else if (depth == 0 && expression.startsWith(":-", i)) {
                return i;
            }
        }
        return -1;
    }

    private Optional<Object> lookup(String reference, List<String> path) {
        if (reference.equals("instance")) {
            return Optional.of(instance);
        }
        if (reference.startsWith("env.")) {
            String name = reference.substring(4);
            environment.add(name);
            return Optional.ofNullable(project.environment().get(name));
        }
        if (reference.startsWith("prop.")) {
            String name = reference.substring(5);
            environment.add(ProjectContext.propertyInput(name)); // an input of the resolution, as a variable is
            return Optional.ofNullable(project.properties().get(name));
        }
        if (reference.startsWith("ref:")) {
            return reference(reference.substring(4), path);
        }
        return switch (reference) {
            case "project.version" -> Optional.of(project.version());
            case "project.groupId" -> Optional.of(project.groupId());
            case "project.artifactId" -> Optional.of(project.artifactId());
            case "project.name" -> Optional.of(project.projectName());
            default ->
                throw error(
                        path,
                        "unknown reference ${" + reference + "}; use env.NAME, prop.NAME,"
                                + " project.version, project.groupId, project.artifactId, instance or ref:a.b.c");
        };
    }

    /** Another value of the merged tree, interpolated itself; walks through values that are references too. */
    private Optional<Object> reference(String dotted, List<String> path) {
        if (dotted.isEmpty()) {
            return Optional.empty();
        }
        List<String> target = DottedPath.split(dotted);
        Object node = raw;
        boolean interpolated = false;
        for (int i = 0; i < target.size(); i++) {
            if (node instanceof String && !interpolated) {
                node = resolve(target.subList(0, i), node);
                interpolated = true;
            }
            Optional<Object> child = DottedPath.child(node, target.get(i));
            if (child.isEmpty()) {
                return Optional.empty();
            }
            node = child.get();
        }
        return Optional.of(interpolated ? node : resolve(target, node));
    }

    private String asText(Object value, String reference, List<String> path) {
        if (value instanceof Map || value instanceof List) {
            throw error(
                    path,
                    reference + " is a " + (value instanceof Map ? "map" : "list")
                            + "; it can be a whole value on its own, but not part of a text");
        }
        return value.toString();
    }

    private String unset(String reference) {
        int colon = reference.indexOf(':');
        if ((reference.startsWith("env.") || reference.startsWith("prop.")) && colon > 0) {
            // ${env.X:info} is a variable named "X:info"; shell and Maven users mean a fallback
            String name = reference.substring(0, colon);
            return "${" + reference + "} reads a variable named \"" + reference.substring(reference.indexOf('.') + 1)
                    + "\", which is not set; for a fallback write ${" + name + ":-" + reference.substring(colon + 1)
                    + "}";
        }
        if (reference.startsWith("env.")) {
            return "environment variable " + reference.substring(4) + " is not set: ${" + reference
                    + "}; set it or give a fallback ${" + reference + ":-value}";
        }
        if (reference.startsWith("prop.")) {
            return "project property " + reference.substring(5) + " is not set: ${" + reference
                    + "}; define it in the pom's <properties> or give a fallback ${" + reference + ":-value}";
        }
        return "unknown reference ${" + reference + "}";
    }

    private DefinitionException error(List<String> path, String what) {
        Origin origin = origins.getOrDefault(path, Origin.ofFile(fallbackFile));
        return new DefinitionException(origin + ": " + (path.isEmpty() ? "" : String.join(".", path) + ": ") + what);
    }
}

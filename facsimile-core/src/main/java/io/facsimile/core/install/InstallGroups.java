package io.facsimile.core.install;

import io.facsimile.core.text.StringLists;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Reads {@code install.groups} of a definition into {@link InstallGroup} records. */
public final class InstallGroups {

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "tmpl", Set.of("type", "dir", "skip", "os", "mode", "modes"),
            "copy", Set.of("type", "files", "optfiles", "dir", "pattern", "replace", "to", "os", "mode", "modes"),
            "artifact", Set.of("type", "artifact", "to", "os", "mode", "modes"));

    /** Keys the original tool accepted and ignored: accepted here too, with a deprecation warning. */
    private static final Map<String, Set<String>> IGNORED = Map.of("tmpl", Set.of("render_files"));

    private InstallGroups() {}

    /**
     * One warning per key of {@code install.groups} that is accepted only because the original tool
     * accepted it, and ignored; empty when there is none or the groups are malformed.
     */
    public static List<String> deprecations(Map<String, Object> definition) {
        List<String> warnings = new ArrayList<>();
        if (definition.get("install") instanceof Map<?, ?> install && install.get("groups") instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> group) {
                    for (String key : IGNORED.getOrDefault(String.valueOf(group.get("type")), Set.of())) {
                        if (group.containsKey(key)) {
                            warnings.add("install.groups[" + i + "]: " + key + " is deprecated and ignored (a key of"
                                    + " the original tool: every file of a tmpl group is rendered); remove it");
                        }
                    }
                }
            }
        }
        return warnings;
    }

    /** The groups used when the definition has no {@code install.groups}: templates from {@code tmpl}, copies from {@code extra}. */
    public static List<InstallGroup> defaults() {
        return List.of(
                new InstallGroup.Templates(0, "tmpl", null, null, false, FileModes.NONE),
                new InstallGroup.Copy(
                        1,
                        List.of(),
                        List.of(),
                        InstallGroup.Copy.SELECTED_DIR,
                        null,
                        null,
                        null,
                        null,
                        false,
                        FileModes.NONE));
    }

    /**
     * The groups of a merged definition, in order; {@link #defaults()} when {@code install.groups} is absent.
     *
     * @throws InstallException naming {@code install.groups[i]} and the field when a group is malformed
     */
    public static List<InstallGroup> from(Map<String, Object> definition) {
        Object install = definition.get("install");
        if (install == null) {
            return defaults();
        }
        if (!(install instanceof Map<?, ?> installMap)) {
            throw new InstallException("install must be a map with a key groups, found " + describe(install));
        }
        Object groups = installMap.get("groups");
        if (groups == null) {
            return defaults();
        }
        if (!(groups instanceof List<?> list)) {
            throw new InstallException("install.groups must be a list of groups, found " + describe(groups));
        }
        List<InstallGroup> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            result.add(parse(i, list.get(i)));
        }
        return List.copyOf(result);
    }

    private static InstallGroup parse(int index, Object raw) {
        String where = "install.groups[" + index + "]";
        if (!(raw instanceof Map<?, ?> group)) {
            throw new InstallException(where + " must be a map with a type, found " + describe(raw));
        }
        String type = string(group, "type", where);
        if (type == null || !FIELDS.containsKey(type)) {
            throw new InstallException(where + ": type must be one of tmpl, copy, artifact, found "
                    + (type == null ? "nothing" : "\"" + type + "\""));
        }
        for (Object key : group.keySet()) {
            if (!FIELDS.get(type).contains(String.valueOf(key))
                    && !IGNORED.getOrDefault(type, Set.of()).contains(String.valueOf(key))) {
                throw new InstallException(where + ": unknown field " + key + " for type " + type + "; allowed: "
                        + FIELDS.get(type).stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        OperatingSystem os = os(group, where);
        FileModes modes = FileModes.of(group, where);
        return switch (type) {
            case "tmpl" ->
                new InstallGroup.Templates(
                        index, required(group, "dir", where, type), regex(group, "skip", where), os, true, modes);
            case "copy" -> copy(index, group, where, os, modes);
            default ->
                new InstallGroup.Artifact(
                        index, required(group, "artifact", where, type), string(group, "to", where), os, modes);
        };
    }

    private static InstallGroup copy(int index, Map<?, ?> group, String where, OperatingSystem os, FileModes modes) {
        List<String> files = strings(group, "files", where);
        List<String> optfiles = strings(group, "optfiles", where);
        String dir = string(group, "dir", where);
        if (files.isEmpty() && optfiles.isEmpty() && dir == null) {
            throw new InstallException(where + ": a copy group needs files, optfiles or dir");
        }
        Pattern pattern = regex(group, "pattern", where);
        String replace = string(group, "replace", where);
        if (pattern == null && replace != null) {
            throw new InstallException(where + ": replace needs a pattern");
        }
        return new InstallGroup.Copy(
                index, files, optfiles, dir, pattern, replace, string(group, "to", where), os, true, modes);
    }

    private static OperatingSystem os(Map<?, ?> group, String where) {
        String os = string(group, "os", where);
        if (os == null) {
            return null;
        }
        return Arrays.stream(OperatingSystem.values())
                .filter(value -> value.key().equals(os.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() ->
                        new InstallException(where + ": os must be one of linux, mac, windows, found \"" + os + "\""));
    }

    private static String required(Map<?, ?> group, String key, String where, String type) {
        String value = string(group, key, where);
        if (value == null || value.isBlank()) {
            throw new InstallException(where + ": a " + type + " group needs " + key);
        }
        return value;
    }

    private static String string(Map<?, ?> group, String key, String where) {
        Object value = group.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new InstallException(where + ": " + key + " must be a string, found " + describe(value));
    }

    private static List<String> strings(Map<?, ?> group, String key, String where) {
        return StringLists.of(
                group.get(key),
                (i, found) -> new InstallException(
                        i < 0
                                ? where + ": " + key + " must be a list of paths, found " + describe(found)
                                : where + ": " + key + "[" + i + "] must be a path, found " + describe(found)));
    }

    private static Pattern regex(Map<?, ?> group, String key, String where) {
        String value = string(group, key, where);
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new InstallException(where + ": " + key + " is not a valid regex: " + e.getDescription()
                    + " near index " + e.getIndex() + " of \"" + value + "\"");
        }
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return value == null ? "nothing" : "\"" + value + "\"";
    }
}

package io.facsimile.core.check;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A stricter reading of {@code .properties} than {@link Properties#load}, which accepts almost any
 * text. A file is refused when it has
 * <ul>
 *   <li>a malformed {@code \\uXXXX} escape (the one thing {@code Properties} itself rejects);
 *   <li>the same key twice (Java keeps the last one silently, so the first is dead and usually a mistake);
 *   <li>a key with no {@code =} or {@code :} and no value (usually a lost {@code =}; write {@code key=} for an empty value);
 *   <li>a backslash continuing the last line of the file into nothing.
 * </ul>
 * Keys separated from their value by blanks alone ({@code key value}) are accepted, as the format allows.
 */
final class PropertiesCheck {

    private PropertiesCheck() {}

    /** Line number (from 1) and message of each problem. */
    static List<Map.Entry<Integer, String>> check(String text) {
        List<Map.Entry<Integer, String>> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        int i = 0;
        while (i < lines.length) {
            int start = i + 1;
            String first = lines[i].stripLeading();
            if (first.isEmpty() || first.startsWith("#") || first.startsWith("!")) {
                i++;
                continue;
            }
            StringBuilder logical = new StringBuilder(first);
            while (endsWithContinuation(lines[i])) {
                if (i + 1 >= lines.length || (i + 1 == lines.length - 1 && lines[i + 1].isEmpty())) {
                    problems.add(
                            Map.entry(i + 1, "the line ends with a backslash that continues into the end of the file"));
                    break;
                }
                i++;
                logical.append('\n').append(lines[i]);
            }
            i++;
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IllegalArgumentException e) {
                problems.add(Map.entry(start, "malformed \\uXXXX escape"));
                continue;
            } catch (IOException e) {
                throw new IllegalStateException("a StringReader does not fail", e);
            }
            for (String key : one.stringPropertyNames()) {
                Integer earlier = seen.putIfAbsent(key, start);
                if (earlier != null) {
                    problems.add(Map.entry(
                            start,
                            "key \"" + key + "\" is set again (first on line " + earlier
                                    + "); the last one wins silently, remove one"));
                }
                if (!hasSeparatorOrValue(logical.toString())) {
                    problems.add(Map.entry(
                            start,
                            "key \"" + key + "\" has no = or : and no value; write \"" + key
                                    + "=\" for an empty value"));
                }
            }
        }
        return problems;
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int j = line.length() - 1; j >= 0 && line.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** An unescaped {@code =}, {@code :} or blank after the key. */
    private static boolean hasSeparatorOrValue(String logical) {
        for (int j = 0; j < logical.length(); j++) {
            char c = logical.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
                return !logical.substring(j).isBlank() || c == '=' || c == ':';
            }
        }
        return false;
    }
}

package io.facsimile.core.template;

import java.util.Locale;

/** Escaping for {@code .properties} files, as {@link java.util.Properties#store} does it, plus {@code \}{@code uXXXX} for non-ASCII. */
final class PropertiesEscaper {

    private PropertiesEscaper() {}

    /** A key: every space escaped, so it cannot end early. */
    static String key(String key) {
        return escape(key, true);
    }

    /** A value: only a leading space escaped; trailing spaces are kept by {@code load}. */
    static String value(String value) {
        return escape(value, false);
    }

    private static String escape(String text, boolean escapeEverySpace) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> out.append(i == 0 || escapeEverySpace ? "\\ " : " ");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '\\', '=', ':', '#', '!' -> out.append('\\').append(c);
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u").append(String.format(Locale.ROOT, "%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

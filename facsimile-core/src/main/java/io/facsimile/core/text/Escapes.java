package io.facsimile.core.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The escapes a template can write a value through ({@code $esc.xml}, {@code $fmt.properties}, …): kept
 * here, below the template engine, so that whatever looks for a secret in a rendered file or in a
 * command's output computes the very forms the templates write.
 */
// commons-lang3's StringEscapeUtils, as Velocity Tools' EscapeTool used it: deprecated for commons-text, not removed
@SuppressWarnings("deprecation")
public final class Escapes {

    private Escapes() {}

    /** A Java string literal's content. */
    public static String java(String text) {
        return org.apache.commons.lang3.StringEscapeUtils.escapeJava(text);
    }

    /** A JavaScript string literal's content. */
    public static String javascript(String text) {
        return org.apache.commons.lang3.StringEscapeUtils.escapeEcmaScript(text);
    }

    /** HTML 4 text with named entities. */
    public static String html(String text) {
        return org.apache.commons.lang3.StringEscapeUtils.escapeHtml4(text);
    }

    /** XML 1.0 text or attribute value. */
    public static String xml(String text) {
        return org.apache.commons.lang3.StringEscapeUtils.escapeXml10(text);
    }

    /** Text for Velocity to read again: {@code $} as {@code ${esc.d}}, {@code #} as {@code ${esc.h}}. */
    public static String velocity(String text) {
        return text.replace("$", "${esc.d}").replace("#", "${esc.h}");
    }

    /** A URL query parameter, UTF-8 percent-encoded. */
    public static String url(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** An SQL string literal's content: {@code '} doubled. */
    public static String sql(String text) {
        return text.replace("'", "''");
    }

    /** Every character outside ASCII as {@code \}{@code uXXXX}. */
    public static String unicode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars()
                .forEach(c ->
                        out.append(c < 0x80 ? String.valueOf((char) c) : String.format(Locale.ROOT, "\\u%04X", c)));
        return out.toString();
    }

    /**
     * A {@code .properties} key, as {@link java.util.Properties#store} writes it plus {@code \}{@code uXXXX}
     * for non-ASCII: every space escaped, so it cannot end early.
     */
    public static String propertyKey(String key) {
        return properties(key, true);
    }

    /** A {@code .properties} value: only a leading space escaped; trailing spaces are kept by {@code load}. */
    public static String propertyValue(String value) {
        return properties(value, false);
    }

    private static String properties(String text, boolean escapeEverySpace) {
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

    /**
     * The content of a JSON string, without the surrounding quotes. Also escapes {@code </} and
     * U+2028/U+2029 so the result is safe inside an HTML {@code <script>}.
     */
    public static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '/' -> out.append(i > 0 && text.charAt(i - 1) == '<' ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
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

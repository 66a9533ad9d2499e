package io.facsimile.core.template;

import java.util.Locale;
import org.apache.velocity.tools.generic.EscapeTool;

/**
 * {@code $esc} in templates: Velocity Tools' {@link EscapeTool} ({@code xml}, {@code html},
 * {@code propertyKey}, {@code propertyValue}, {@code url}, …) plus {@link #json(Object)}, which the
 * tool lacks ({@code javascript} escapes {@code '} as {@code \'}, which JSON does not allow).
 */
public class TemplateEscapeTool extends EscapeTool {

    private static final long serialVersionUID = 1L;

    /**
     * The content of a JSON string, without the surrounding quotes: {@code "password": "$esc.json($x)"}.
     * Also escapes {@code </} and U+2028/U+2029 so the result is safe inside an HTML {@code <script>}.
     *
     * @return the escaped text, or {@code null} for {@code null} (as the other methods of the tool)
     */
    public String json(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
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

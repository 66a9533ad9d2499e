package io.facsimile.core.template;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.VelocityException;

/**
 * Turns Velocity's exceptions into {@link TemplateException}s that name the template, line, column
 * and reference.
 *
 * <p>Velocity reports several strict-mode failures (a map key that is missing, a property read on
 * null, an undefined macro) as a plain {@link VelocityException} with the position only inside the
 * message text, so the position is read back from {@code at <template>[line L, column C]}, and the
 * reference is cut from the template source at that position.
 */
final class TemplateErrors {

    private static final Pattern LOCATION = Pattern.compile(" at .*?\\[line (\\d+), column (\\d+)]");
    private static final Pattern REFERENCE =
            Pattern.compile("\\$!?\\{?[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*(?:\\([^()]*\\))?)*\\}?");
    private static final Pattern UNDEFINED_MACRO = Pattern.compile("Macro '#(\\w+)' is not defined");
    private static final Set<String> DISABLED_DIRECTIVES = Set.of("parse", "include", "evaluate");

    private TemplateErrors() {}

    static TemplateException parse(String templateName, ParseErrorException e) {
        String what = firstLine(withoutLocation(e.getMessage())).replace("\"\\u001c\"", "end of template");
        return new TemplateException(templateName, e.getLineNumber(), e.getColumnNumber(), "syntax error: " + what);
    }

    static TemplateException invocation(
            String templateName, String source, TemplateContext context, MethodInvocationException e) {
        int line = e.getLineNumber();
        int column = e.getColumnNumber();
        String reference = referenceAt(source, line, column);
        String message = withoutLocation(e.getMessage());
        if (message.contains("has not been set")) {
            return new TemplateException(
                    templateName, line, column, UndefinedReference.describe(reference, context.variables()));
        }
        Throwable cause = e.getCause();
        String what = cause != null && cause.getMessage() != null
                ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : message;
        if (cause instanceof UnsupportedOperationException) {
            what = "the definition cannot be changed by a template";
        }
        return new TemplateException(templateName, line, column, reference + ": " + what);
    }

    static TemplateException other(String templateName, String source, TemplateContext context, VelocityException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher location = LOCATION.matcher(message);
        int line = 0;
        int column = 0;
        if (location.find()) {
            line = Integer.parseInt(location.group(1));
            column = Integer.parseInt(location.group(2));
        }
        String what = withoutLocation(message);
        Matcher macro = UNDEFINED_MACRO.matcher(what);
        if (macro.find()) {
            String name = macro.group(1);
            what = DISABLED_DIRECTIVES.contains(name)
                    ? "#" + name + " is disabled: a template is rendered from its own text only"
                    : "undefined macro #" + name;
        } else if (what.contains("evaluated to null")
                || what.contains("on a null value")
                || what.contains("has not been set")) {
            what = UndefinedReference.describe(referenceAt(source, line, column), context.variables());
        }
        return new TemplateException(templateName, line, column, what);
    }

    static TemplateException unexpected(String templateName, RuntimeException e) {
        return new TemplateException(templateName, 0, 0, "rendering failed: " + e);
    }

    /** The reference that starts (or continues) at a 1-based line and column of the source, or {@code "?"}. */
    static String referenceAt(String source, int line, int column) {
        String text = column < 1 ? null : line(source, line);
        if (text == null || text.isEmpty()) {
            return "?";
        }
        int start = Math.min(index(text, column), text.length() - 1);
        while (start < text.length() && text.charAt(start) == '\\') {
            start++; // an escaped reference (\\$name, an even number of backslashes) is reported from its $
        }
        while (start > 0 && text.charAt(start) != '$') {
            start--;
        }
        Matcher matcher = REFERENCE.matcher(text);
        if (matcher.find(start) && matcher.start() == start) {
            return matcher.group();
        }
        return "?";
    }

    /** The text of the 1-based {@code line} of {@code source}, or {@code null} when it has no such line. */
    static String line(String source, int line) {
        String[] lines = source.split("\n", -1);
        return line < 1 || line > lines.length ? null : lines[line - 1];
    }

    /**
     * The index in {@code line} of Velocity's {@code column} (1-based), which counts a tab as up to the next
     * multiple of 8, as its parser's character stream does; the line's length when it is past the end.
     */
    static int index(String line, int column) {
        int col = 1;
        for (int i = 0; i < line.length(); i++) {
            if (col >= column) {
                return i;
            }
            col += line.charAt(i) == '\t' ? 8 - (col - 1) % 8 : 1;
        }
        return line.length();
    }

    private static String withoutLocation(String message) {
        return LOCATION.matcher(message == null ? "" : message).replaceAll("");
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}

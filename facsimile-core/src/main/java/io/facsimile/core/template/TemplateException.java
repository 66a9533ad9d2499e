package io.facsimile.core.template;

import io.facsimile.core.FacsimileException;

/**
 * A template that does not parse or does not render: an undefined reference in strict mode, a
 * syntax error, a method that fails or is not allowed. The message reads
 * {@code <template path>:<line>:<column>: <what>}, with the path relative to the definitions
 * directory, e.g. {@code tmpl/_ALL_/_DEPLOY_/etc/app.conf:3:14: undefined reference $instance.db.hots};
 * {@code <template path>: <what>} when the position is not known (a limit reached before the first
 * loop, a failure outside the template's text), never a made-up {@code :0:0}.
 */
public class TemplateException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    private final String templateName;
    private final int line;
    private final int column;

    /**
     * @param templateName the template path relative to the definitions directory
     * @param line the 1-based line, or 0 when unknown
     * @param column the 1-based column, or 0 when unknown
     * @param what what went wrong and, where it helps, what to do
     */
    public TemplateException(String templateName, int line, int column, String what) {
        super(templateName + (line > 0 ? ":" + line + ":" + column : "") + ": " + what, null, Kind.USER_ERROR);
        this.templateName = templateName;
        this.line = line;
        this.column = column;
    }

    /** The template path relative to the definitions directory. */
    public String templateName() {
        return templateName;
    }

    /** The 1-based line of the failure, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column of the failure, or 0 when unknown. */
    public int column() {
        return column;
    }
}

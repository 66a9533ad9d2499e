package io.facsimile.core.template;

import org.apache.velocity.util.introspection.Info;

/**
 * What one rendering may still spend: the instance's deadline and the file's output limit. Checked by
 * every iteration of a {@code #foreach} (through {@link SandboxUberspector}) and every write to the
 * {@link OutputBuffer}, so an endless loop fails even when it writes nothing. Used by one thread.
 */
final class RenderBudget {

    private final String templateName;
    private final TemplateLimits limits;
    private final long deadline;
    private int line;
    private int column;

    /** @param deadline {@link System#nanoTime()} after which rendering stops */
    RenderBudget(String templateName, TemplateLimits limits, long deadline) {
        this.templateName = templateName;
        this.limits = limits;
        this.deadline = deadline;
    }

    /** An iteration of the loop at {@code info}: remembered as where the template is, then checked. */
    void iteration(Info info) {
        line = info.getLine();
        column = info.getColumn();
        check(-1);
    }

    /** @param outputChars the length of the output so far, or -1 when not known here */
    void check(long outputChars) {
        if (outputChars > limits.maxOutputChars()) {
            throw new TemplateException(
                    templateName,
                    line,
                    column,
                    "the output grew beyond " + limits.maxOutputChars()
                            + " characters (the limit of one file; templateMaxOutput raises it)");
        }
        if (System.nanoTime() - deadline > 0) {
            throw new TemplateException(
                    templateName,
                    line,
                    column,
                    "still rendering after "
                            + limits.timeout().toMillis() + " ms, the limit of one instance's templates (an endless"
                            + " #foreach?; templateTimeout raises it)");
        }
    }
}

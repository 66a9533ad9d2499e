package io.facsimile.core.check;

/**
 * Something wrong in a file of a release that rendered without error.
 *
 * @param destination the file, relative to the release dir ({@code _DEPLOY_/etc/app.json})
 * @param source where it came from: the template or copied file, for the message
 * @param line the line in the output, from 1; 0 when unknown
 * @param message what is wrong
 */
public record OutputProblem(String destination, String source, int line, String message) {

    /** {@code destination:line (from source): message}. */
    @Override
    public String toString() {
        return destination + (line > 0 ? ":" + line : "") + (source == null ? "" : " (from " + source + ")") + ": "
                + message;
    }
}

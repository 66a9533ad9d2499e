package io.facsimile.core.api;

/**
 * Root of every failure Facsimile reports. Each failure family (definitions, state, templates,
 * install, bundle, deploy) has one subclass; the message is written for a human and names the
 * file, line and key where there is one.
 *
 * <p>{@link #isUserError()} separates "your input is wrong" (a definition that does not parse, an
 * unknown instance) from "the run broke" (I/O, network); the Maven plugin maps the first to a build
 * failure and the second to an execution error, in one place.
 */
public class FacsimileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean userError;

    protected FacsimileException(String message, Throwable cause, boolean userError) {
        super(message, cause);
        this.userError = userError;
    }

    /** A user error: the input is wrong and the message says how to fix it. */
    public FacsimileException(String message) {
        this(message, null, true);
    }

    /** {@code true} when the input is wrong, {@code false} when the environment failed (I/O, network). */
    public boolean isUserError() {
        return userError;
    }
}

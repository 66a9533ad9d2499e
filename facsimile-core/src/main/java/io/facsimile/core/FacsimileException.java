package io.facsimile.core;

/**
 * Root of every failure Facsimile reports. Each failure family (definitions, state, templates,
 * install, bundle, deploy) has one subclass; the message is written for a human and names the
 * file, line and key where there is one.
 *
 * <p>A failure is one of two {@link Kind}s, made by two named factories: {@link #userError(String)}
 * ("your input is wrong": a definition that does not parse, an unknown instance) and
 * {@link #broken(String, Throwable)} ("the run broke": I/O, network). The Maven plugin maps the first
 * to a build failure and the second to an execution error, in one place.
 */
public class FacsimileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong: the input, or the run. */
    public enum Kind {
        /** The input is wrong and the message says how to fix it. */
        USER_ERROR,
        /** The environment failed (I/O, network); the input may be fine. */
        BROKEN_RUN
    }

    private final Kind kind;

    protected FacsimileException(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    /** A user error: the input is wrong and the message says how to fix it. */
    public FacsimileException(String message) {
        this(message, null, Kind.USER_ERROR);
    }

    /** A user error: the input is wrong and {@code message} says how to fix it. */
    public static FacsimileException userError(String message) {
        return new FacsimileException(message, null, Kind.USER_ERROR);
    }

    /** A broken run: {@code message} says what could not be done, {@code cause} why. */
    public static FacsimileException broken(String message, Throwable cause) {
        return new FacsimileException(message, cause, Kind.BROKEN_RUN);
    }

    /** Whether the input or the run is at fault. */
    public Kind kind() {
        return kind;
    }

    /** {@code true} when the input is wrong, {@code false} when the environment failed (I/O, network). */
    public boolean isUserError() {
        return kind == Kind.USER_ERROR;
    }
}

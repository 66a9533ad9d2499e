package io.facsimile.core.release;

import io.facsimile.core.FacsimileException;

/**
 * A release dir or its manifest that cannot be read or written. A manifest that does not parse, or a
 * name no archive or node could hold, is a user error (render again, rename the file); a failing disk is not.
 */
public class ReleaseException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    private ReleaseException(String message, Throwable cause, Kind kind) {
        super(message, cause, kind);
    }

    /** A user error: the message says what to do. */
    public static ReleaseException userError(String message) {
        return new ReleaseException(message, null, Kind.USER_ERROR);
    }

    /** A user error with its cause. */
    public static ReleaseException userError(String message, Throwable cause) {
        return new ReleaseException(message, cause, Kind.USER_ERROR);
    }

    /** A broken run (the disk failed, not the user). */
    public static ReleaseException broken(String message, Throwable cause) {
        return new ReleaseException(message, cause, Kind.BROKEN_RUN);
    }
}

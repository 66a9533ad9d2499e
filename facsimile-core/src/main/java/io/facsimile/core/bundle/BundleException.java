package io.facsimile.core.bundle;

import io.facsimile.core.FacsimileException;

/** A manifest or archive that cannot be read or written. */
public class BundleException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    private BundleException(String message, Throwable cause, Kind kind) {
        super(message, cause, kind);
    }

    /** A user error: the message says what is wrong with the input and how to fix it. */
    public static BundleException userError(String message) {
        return new BundleException(message, null, Kind.USER_ERROR);
    }

    /** The disk failed while {@code what} was read or written: not the user's input. */
    public static BundleException broken(String what, Throwable cause) {
        return new BundleException(what + ": " + cause.getMessage(), cause, Kind.BROKEN_RUN);
    }
}

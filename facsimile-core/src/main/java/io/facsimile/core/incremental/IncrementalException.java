package io.facsimile.core.incremental;

import io.facsimile.core.FacsimileException;

/**
 * The disk failed while a run listed its sources or checked or recorded whether a release dir is
 * current: never the user's input.
 */
public class IncrementalException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    private IncrementalException(String message, Throwable cause) {
        super(message, cause, Kind.BROKEN_RUN);
    }

    /** The disk failed while doing {@code what}. */
    public static IncrementalException broken(String what, Throwable cause) {
        return new IncrementalException(what + ": " + cause, cause);
    }
}

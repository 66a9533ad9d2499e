package io.facsimile.core.bundle;

import io.facsimile.core.api.FacsimileException;

/** A manifest or archive that cannot be read or written. */
public class BundleException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    /** A user error: the message says what is wrong with the input and how to fix it. */
    public BundleException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the file
     * @param cause the underlying failure
     * @param userError {@code true} when the input is wrong, {@code false} when the environment failed
     */
    public BundleException(String message, Throwable cause, boolean userError) {
        super(message, cause, userError);
    }
}

package io.facsimile.core.bundle;

import io.facsimile.core.api.FacsimileException;

/** A manifest or archive that cannot be read or written. */
public class BundleException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause, boolean userError) {
        super(message, cause, userError);
    }
}

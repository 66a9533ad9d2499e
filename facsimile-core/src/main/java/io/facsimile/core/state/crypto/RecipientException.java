package io.facsimile.core.state.crypto;

import io.facsimile.core.FacsimileException;

/** A state recipient that is not written in a form Facsimile accepts; a user error saying which forms are. */
public class RecipientException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    public RecipientException(String message) {
        super(message);
    }
}

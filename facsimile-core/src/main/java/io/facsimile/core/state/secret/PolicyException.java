package io.facsimile.core.state.secret;

import io.facsimile.core.FacsimileException;

/** A password policy ({@code password:} of a module) that is not valid; a user error naming what is allowed. */
public class PolicyException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}

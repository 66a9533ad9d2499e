package io.facsimile.core.definition;

import io.facsimile.core.FacsimileException;

/** A definition that cannot be read, merged or interpolated. The message names file, line and key. */
public class DefinitionException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    public DefinitionException(String message) {
        this(message, null);
    }

    public DefinitionException(String message, Throwable cause) {
        super(message, cause, Kind.USER_ERROR);
    }
}

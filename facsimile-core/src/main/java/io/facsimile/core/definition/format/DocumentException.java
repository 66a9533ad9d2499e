package io.facsimile.core.definition.format;

import io.facsimile.core.FacsimileException;

/**
 * A definition file that cannot be read as a document: no definition extension, not found, not UTF-8,
 * or not valid YAML, JSON or TOML. A user error; the message starts with {@code file:line:column}
 * where the format tells the place.
 */
public class DocumentException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    public DocumentException(String message) {
        super(message);
    }

    public DocumentException(String message, Throwable cause) {
        super(message, cause, Kind.USER_ERROR);
    }
}

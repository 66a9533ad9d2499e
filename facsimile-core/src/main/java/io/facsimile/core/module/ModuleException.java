package io.facsimile.core.module;

import io.facsimile.core.FacsimileException;

/** A module list that cannot be resolved: a missing or duplicate key, a field of the wrong type. */
public class ModuleException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    public ModuleException(String message) {
        super(message);
    }
}

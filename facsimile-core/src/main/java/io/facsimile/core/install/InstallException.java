package io.facsimile.core.install;

import io.facsimile.core.api.FacsimileException;
import java.io.IOException;

/**
 * An install group that is misconfigured, a source that is missing, a destination that would leave
 * the release dir, or (not a user error) the disk failing while the release dir is written.
 */
public class InstallException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    /** A user error: the message names the group or file and says what to change. */
    public InstallException(String message) {
        super(message, null, true);
    }

    private InstallException(String message, Throwable cause) {
        super(message, cause, false);
    }

    /** The disk failed: not the user's input. */
    static InstallException io(String what, IOException cause) {
        return new InstallException(what + ": " + cause, cause);
    }
}

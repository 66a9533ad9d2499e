package io.facsimile.core.install;

import io.facsimile.core.FacsimileException;

/**
 * An install group that is misconfigured, a source that is missing, a destination that would leave
 * the release dir, or (not a user error) the disk failing while the release dir is written.
 */
public class InstallException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    /** A user error: the message names the group or file and says what to change. */
    public InstallException(String message) {
        super(message, null, Kind.USER_ERROR);
    }

    private InstallException(String message, Throwable cause) {
        super(message, cause, Kind.BROKEN_RUN);
    }

    /** A user error: the message names the group or file and says what to change. */
    public static InstallException userError(String message) {
        return new InstallException(message);
    }

    /** The disk failed while doing {@code what}: not the user's input. */
    public static InstallException broken(String what, Throwable cause) {
        return new InstallException(what + ": " + cause, cause);
    }
}

package io.facsimile.core.state;

import io.facsimile.core.FacsimileException;
import java.io.IOException;

/**
 * The state of an instance cannot be read, locked or written, or a value asked of it is invalid.
 *
 * <p>The message names the state file and says what to do; it never contains a secret. A state file
 * that does not parse, a bad password policy or an exhausted uiid range are user errors; a failed
 * write, a lock that is never released or an interrupted wait are not.
 */
public class StateException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    /** A user error: the input (a state file, a policy, a name) is wrong; the message says how to fix it. */
    public StateException(String message) {
        super(message, null, Kind.USER_ERROR);
    }

    private StateException(String message, Throwable cause, Kind kind) {
        super(message, cause, kind);
    }

    /** A broken run (a failed write, a lock never released); {@code cause} may be {@code null}. */
    public static StateException broken(String message, Throwable cause) {
        return new StateException(message, cause, Kind.BROKEN_RUN);
    }

    /** An environment failure (disk, permissions) while working on {@code what}. */
    static StateException io(String what, IOException cause) {
        return broken(what + ": " + cause, cause);
    }
}

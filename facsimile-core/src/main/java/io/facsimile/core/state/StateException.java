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
        super(message, null, true);
    }

    /**
     * A failure with an explicit classification.
     *
     * @param message what failed, naming the file; never a secret
     * @param cause the underlying failure, or {@code null}
     * @param userError {@code true} when the input is wrong, {@code false} when the environment failed
     */
    public StateException(String message, Throwable cause, boolean userError) {
        super(message, cause, userError);
    }

    /** An environment failure (disk, permissions) while working on {@code what}. */
    static StateException io(String what, IOException cause) {
        return new StateException(what + ": " + cause, cause, false);
    }
}

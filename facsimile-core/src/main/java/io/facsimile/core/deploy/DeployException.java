package io.facsimile.core.deploy;

import io.facsimile.core.FacsimileException;

/**
 * A deploy, rollback, diff or verify that cannot go on. {@link #refused(String)} makes a wrong
 * {@code deploy} definition or a refused operation (no release to roll back to, a lock held by
 * someone else), {@link #broken(String, Throwable)} a broken run (I/O, a node that cannot be reached).
 */
public class DeployException extends FacsimileException {

    private static final long serialVersionUID = 1L;

    /** A user error: the message says what is wrong and how to fix it. */
    public DeployException(String message) {
        super(message);
    }

    private DeployException(String message, Throwable cause, Kind kind) {
        super(message, cause, kind);
    }

    /** A user error: a wrong definition or a refused operation; the message says what to do. */
    public static DeployException refused(String message) {
        return new DeployException(message);
    }

    /** A user error found through {@code cause} (a key that cannot be read, a damaged record). */
    public static DeployException refused(String message, Throwable cause) {
        return new DeployException(message, cause, Kind.USER_ERROR);
    }

    /** A broken run (the node or the network failed, not the user); {@code cause} may be {@code null}. */
    public static DeployException broken(String message, Throwable cause) {
        return new DeployException(message, cause, Kind.BROKEN_RUN);
    }

    /** A user error: a link planted below the deploy home, which a deploy never follows. */
    public static DeployException plantedLink(String link, String home) {
        return refused(link + " is a symbolic link; a deploy follows no link it did not create below " + home
                + ", so nothing outside it is read, written or deleted. Remove the link (put a directory or file there,"
                + " or point deploy.home elsewhere) and run again");
    }

    /** An environment failure (I/O, network) while doing {@code what}. */
    public static DeployException io(String what, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return broken(what + ": " + detail, cause);
    }
}

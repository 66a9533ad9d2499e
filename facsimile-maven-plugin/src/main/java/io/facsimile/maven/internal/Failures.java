package io.facsimile.maven.internal;

import io.facsimile.core.FacsimileException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one place where core failures become Maven failures: a user error (bad definition, unknown
 * instance) fails the build with its message and no stack trace; a broken run (I/O, network) is an
 * execution error.
 */
public final class Failures {

    private Failures() {}

    /** A user error as a build failure. */
    public static MojoFailureException failure(FacsimileException e) {
        MojoFailureException failure = new MojoFailureException(e.getMessage());
        failure.initCause(e);
        return failure;
    }

    /** Maps a core exception to what Maven expects: failure for user errors, execution error otherwise. */
    public static Exception toMojoException(FacsimileException e) {
        return switch (e.kind()) {
            case USER_ERROR -> failure(e);
            case BROKEN_RUN -> new MojoExecutionException(e.getMessage(), e);
        };
    }
}

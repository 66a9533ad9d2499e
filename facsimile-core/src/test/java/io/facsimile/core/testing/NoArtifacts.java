package io.facsimile.core.testing;

import io.facsimile.core.install.ArtifactResolver;

/** For test projects without {@code type: artifact} install groups. */
public final class NoArtifacts {

    /** A resolver that fails the test when it is asked for an artifact. */
    public static final ArtifactResolver NO_ARTIFACTS = coordinates -> {
        throw new AssertionError("no artifact groups here");
    };

    private NoArtifacts() {}
}

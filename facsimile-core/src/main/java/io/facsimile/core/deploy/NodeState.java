package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import java.util.Optional;

/**
 * What a node holds before a deploy.
 *
 * @param currentRelease the release id {@code current} points to (strategy {@code releases}), if any
 * @param manifest the manifest of what is live: the current release's recorded manifest, or for
 *     {@code sync} a listing of {@code home}; empty for a first deploy
 */
public record NodeState(Optional<String> currentRelease, Optional<Manifest> manifest) {

    /** A node that has never been deployed to. */
    public static NodeState empty() {
        return new NodeState(Optional.empty(), Optional.empty());
    }
}

package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import java.io.IOException;
import java.util.Optional;

/** Reads a manifest that came from a node as bytes rather than from a local file. */
final class ManifestJson {

    /** The manifest {@code bytes} hold, or empty when they hold none. */
    Optional<Manifest> parseIfWhole(byte[] bytes) {
        try {
            return Optional.of(Manifest.parse(bytes));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Manifest parse(byte[] bytes, String where) {
        try {
            return Manifest.parse(bytes);
        } catch (IOException e) {
            throw DeployException.refused(
                    where + " is not a manifest (" + e.getMessage() + "); the node's deploy "
                            + "records are damaged: remove that release or redeploy",
                    e);
        }
    }
}

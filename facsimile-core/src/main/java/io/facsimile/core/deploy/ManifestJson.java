package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import java.io.IOException;

/** Reads a manifest that came from a node as bytes rather than from a local file. */
final class ManifestJson {

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

package io.facsimile.core.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facsimile.core.bundle.Manifest;
import java.io.IOException;

/** Reads a manifest that came from a node as bytes rather than from a local file. */
final class ManifestJson {

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    Manifest parse(byte[] bytes, String where) {
        try {
            return json.readValue(bytes, Manifest.class);
        } catch (IOException e) {
            throw new DeployException(where + " is not a manifest (" + e.getMessage() + "); the node's deploy "
                    + "records are damaged: remove that release or redeploy", e, true);
        }
    }
}

package io.facsimile.core.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.facsimile.core.release.Manifest;
import java.io.IOException;

/** Reads a manifest that came from a node as bytes rather than from a local file. */
final class ManifestJson {

    /** Immutable and thread-safe, and made once: a new mapper would introspect the manifest's classes on every deploy. */
    private static final ObjectReader READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readerFor(Manifest.class);

    Manifest parse(byte[] bytes, String where) {
        try {
            return READER.readValue(bytes);
        } catch (IOException e) {
            throw DeployException.refused(
                    where + " is not a manifest (" + e.getMessage() + "); the node's deploy "
                            + "records are damaged: remove that release or redeploy",
                    e);
        }
    }
}

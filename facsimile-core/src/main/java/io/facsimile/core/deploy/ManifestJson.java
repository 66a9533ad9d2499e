package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a manifest that came from a node as bytes rather than from a local file. The nodes of a fleet
 * usually hold the same current release: a document read already in this run is not parsed again (the
 * bytes are compared whole; a few documents are kept, the first ones seen).
 */
final class ManifestJson {

    /** How many documents a run keeps parsed. */
    private static final int KEPT = 4;

    private final Map<Document, Manifest> parsed = new ConcurrentHashMap<>();

    /** The bytes of a document, equal by content. */
    private record Document(byte[] bytes, int hash) {

        Document(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Document that && hash == that.hash && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The manifest {@code bytes} hold, or empty when they hold none. */
    Optional<Manifest> parseIfWhole(byte[] bytes) {
        try {
            return Optional.of(parsed(bytes));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Manifest parse(byte[] bytes, String where) {
        try {
            return parsed(bytes);
        } catch (IOException e) {
            throw DeployException.refused(
                    where + " is not a manifest (" + e.getMessage() + "); the node's deploy "
                            + "records are damaged: remove that release or redeploy",
                    e);
        }
    }

    /**
     * The manifest of {@code bytes}, parsed once per run: the nodes that read the same document at the same
     * moment wait for the one parsing it. A document that is no manifest is not kept.
     */
    private Manifest parsed(byte[] bytes) throws IOException {
        Document document = new Document(bytes);
        Manifest known = parsed.get(document);
        if (known != null) {
            return known;
        }
        if (parsed.size() >= KEPT) {
            return Manifest.parse(bytes);
        }
        try {
            return parsed.computeIfAbsent(document, d -> {
                try {
                    return Manifest.parse(d.bytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

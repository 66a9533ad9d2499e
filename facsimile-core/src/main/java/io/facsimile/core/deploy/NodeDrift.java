package io.facsimile.core.deploy;

import java.util.List;

/**
 * How the live files of a node differ from the manifest of what was deployed there.
 *
 * @param node the node
 * @param release the live release (for {@code sync}, the release id recorded by the last deploy)
 * @param changed files whose content or mode differs
 * @param missing files of the manifest that are gone
 * @param extra files that are live but not in the manifest (excluded paths are not counted)
 */
public record NodeDrift(Node node, String release, List<String> changed, List<String> missing, List<String> extra) {

    public NodeDrift {
        changed = List.copyOf(changed);
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
    }

    /** {@code true} when anything differs. */
    public boolean drifted() {
        return !changed.isEmpty() || !missing.isEmpty() || !extra.isEmpty();
    }
}

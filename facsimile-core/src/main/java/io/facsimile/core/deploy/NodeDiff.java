package io.facsimile.core.deploy;

import java.util.List;

/**
 * What a deploy would change on one node.
 *
 * @param node the node
 * @param plan the plan: {@link DeployPlan#added()}, {@link DeployPlan#changed()}, {@link DeployPlan#remove()}
 * @param text a unified diff of every text file added, changed or removed, secrets masked; binary
 *     files are named in a {@code Binary files ... differ} line
 */
public record NodeDiff(Node node, DeployPlan plan, String text) {

    /** Paths the deploy adds. */
    public List<String> added() {
        return plan.added();
    }

    /** Paths whose content or mode the deploy changes. */
    public List<String> changed() {
        return plan.changed();
    }

    /** Paths that would no longer be live. */
    public List<String> removed() {
        return plan.remove();
    }

    /** {@code true} when the deploy would change nothing on this node. */
    public boolean isEmpty() {
        return added().isEmpty() && changed().isEmpty() && removed().isEmpty();
    }
}

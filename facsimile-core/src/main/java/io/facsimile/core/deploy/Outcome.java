package io.facsimile.core.deploy;

import java.util.Locale;

/** How a node fared. */
public enum Outcome {
    /** The new release is live. */
    DEPLOYED,
    /** The node already had this release live; nothing was changed. */
    UNCHANGED,
    /** Dry run: the plan was made, nothing was changed. */
    PLANNED,
    /** {@code current} was switched back to an earlier release by a rollback. */
    ROLLED_BACK,
    /** The node failed; {@link NodeResult#reason()} says why. */
    FAILED,
    /** The node was not started because an earlier wave failed: "not started" in the table's reason. */
    SKIPPED,
    /**
     * The new release was live on the node, and was switched back to the release the node had before
     * because the run stopped ({@code deploy.onFailure: revert}).
     */
    REVERTED;

    /** {@code true} for every outcome but {@link #FAILED}. */
    public boolean ok() {
        return this != FAILED;
    }

    /** The outcome in lower case with dashes, for tables and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

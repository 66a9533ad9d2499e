package io.facsimile.core.deploy;

/**
 * One line of a node's deploy log ({@code home/.facsimile/deploy-log.jsonl}).
 *
 * @param release the release id
 * @param outcome {@value #OK}, {@value #FAILED}, {@value #ROLLBACK}, {@value #REVERTED} or {@value #INTERRUPTED}
 * @param who the user that ran it ({@code user.name})
 * @param when the instant, ISO-8601 UTC
 * @param hash the tree hash of the release
 * @param strategy {@code releases} or {@code sync}
 * @param seconds how long the operation on the node took until this entry, or {@code null} in entries
 *     written before it was recorded
 */
public record DeployLogEntry(
        String release, String outcome, String who, String when, String hash, String strategy, Double seconds) {

    /** An entry without a duration. */
    public DeployLogEntry(String release, String outcome, String who, String when, String hash, String strategy) {
        this(release, outcome, who, when, hash, strategy, null);
    }

    /** The release was deployed and its postcmd succeeded. */
    public static final String OK = "ok";
    /** The deploy of the release failed; {@code current} was left or put back on the previous release. */
    public static final String FAILED = "failed";
    /** {@code current} was switched back to this release by a rollback. */
    public static final String ROLLBACK = "rollback";
    /**
     * {@code current} was switched back from this release to the one live before: by the run, because it
     * stopped on failures elsewhere ({@code deploy.onFailure: revert}), or by the node's watchdog, because
     * the deploy never confirmed the release (then {@code who} is {@code watchdog}).
     */
    public static final String REVERTED = "reverted";
    /** The deploy was interrupted (Ctrl-C) after switching to this release, and switched back. */
    public static final String INTERRUPTED = "interrupted";

    /** {@code true} for a successful deploy. */
    public boolean ok() {
        return OK.equals(outcome);
    }
}

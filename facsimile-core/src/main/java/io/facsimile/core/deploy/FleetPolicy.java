package io.facsimile.core.deploy;

import java.util.Locale;

/**
 * How a deploy moves through a fleet and what it does when nodes fail: {@code deploy.canary},
 * {@code deploy.maxFailPercentage} and {@code deploy.onFailure}.
 *
 * @param canary nodes of a first wave that must all pass before any other node starts; 0 for none
 * @param maxFailPercentage the share of the run's nodes (0–100) that may fail before no new wave
 *     starts: the run stops once failed nodes exceed it; 0 (default) stops at the first failure
 * @param onFailure what happens to the nodes this run switched when the run stops
 */
public record FleetPolicy(int canary, int maxFailPercentage, OnFailure onFailure) {

    /** Today's behaviour: no canary, any failure stops, switched nodes stay. */
    public static final FleetPolicy DEFAULT = new FleetPolicy(0, 0, OnFailure.STOP);

    public FleetPolicy {
        if (canary < 0) {
            throw new DeployException("deploy.canary must be 0 or a positive integer, found " + canary);
        }
        if (maxFailPercentage < 0 || maxFailPercentage > 100) {
            throw new DeployException(
                    "deploy.maxFailPercentage must be a whole number from 0 to 100, found " + maxFailPercentage);
        }
        java.util.Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Why the run must stop after a wave, or {@code null} to go on.
     *
     * @param canaryWave {@code true} for the canary wave, which must pass as a whole
     * @param failed nodes failed so far in this run
     * @param total nodes of this run
     */
    String stopReason(boolean canaryWave, int failed, int total) {
        if (failed == 0) {
            return null;
        }
        if (canaryWave) {
            return "the canary wave failed";
        }
        // Ansible's rule: the limit must be exceeded, so 20% of 10 nodes tolerates 2 failures, not 3.
        if (failed * 100L > (long) maxFailPercentage * total) {
            return failed + " of " + total + " nodes failed, more than maxFailPercentage " + maxFailPercentage + "%";
        }
        return null;
    }

    /** {@code deploy.onFailure}: what a stopped run does with the nodes it already switched. */
    public enum OnFailure {
        /** They stay on the new release (the default, as before these settings existed). */
        STOP,
        /** Each is switched back, in reverse order, to the release it was on before the run. */
        REVERT;

        /** The name as written in a definition. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

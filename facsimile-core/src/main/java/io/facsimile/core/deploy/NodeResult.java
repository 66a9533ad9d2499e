package io.facsimile.core.deploy;

import java.util.Locale;
import java.util.Optional;

/**
 * What happened on one node.
 *
 * @param node the node
 * @param outcome how it went
 * @param release the release id deployed or switched to, or {@code null} when none was reached
 * @param filesSent files uploaded from this machine
 * @param bytesSent bytes of those files
 * @param seconds wall-clock seconds spent on the node
 * @param reason why it failed or was skipped, or a short note ("already live"); secrets masked
 * @param plan the plan the node followed, or {@code null} when it failed before planning
 */
public record NodeResult(Node node, Outcome outcome, String release, int filesSent, long bytesSent, double seconds,
        String reason, DeployPlan plan) {

    /** The plan, when the node got as far as planning. */
    public Optional<DeployPlan> planned() {
        return Optional.ofNullable(plan);
    }

    /** The one progress line the listener prints: node, outcome, files, bytes, seconds. */
    public String line() {
        return String.format(Locale.ROOT, "%s: %s%s, %d files, %d bytes sent, %.1f s%s", node.name(), outcome.label(),
                release == null ? "" : " " + release, filesSent, bytesSent, seconds,
                reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    }
}

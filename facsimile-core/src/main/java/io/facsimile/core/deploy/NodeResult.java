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
 * @param plan the plan the node followed, or {@code null} when it failed before planning, found the
 *     release current without planning (nothing to send, the manifest not even parsed), switched to the
 *     release already on the node, or staged it from a recycled release without reading the live
 *     release's manifest
 * @param failure why the node failed when an exception said so (a user error or a broken run), or
 *     {@code null}
 */
public record NodeResult(
        Node node,
        Outcome outcome,
        String release,
        int filesSent,
        long bytesSent,
        double seconds,
        String reason,
        DeployPlan plan,
        DeployException failure) {

    /** A result without an exception. */
    public NodeResult(
            Node node,
            Outcome outcome,
            String release,
            int filesSent,
            long bytesSent,
            double seconds,
            String reason,
            DeployPlan plan) {
        this(node, outcome, release, filesSent, bytesSent, seconds, reason, plan, null);
    }

    /**
     * Throws when the node failed: its exception, or a user error with the reason (a failing postcmd).
     *
     * @throws DeployException when {@link #outcome()} is {@link Outcome#FAILED}
     */
    public void requireOk() {
        if (outcome.ok()) {
            return;
        }
        throw failure != null ? failure : DeployException.refused(node.name() + ": " + reason);
    }

    /** {@code true} when the node failed because the run broke (I/O, network), not because of the user. */
    public boolean broken() {
        return failure != null && !failure.isUserError();
    }

    /** The plan the node followed, when it made one (see the {@code plan} component). */
    public Optional<DeployPlan> planned() {
        return Optional.ofNullable(plan);
    }

    /** The one progress line the listener prints: node, outcome, files, bytes, seconds. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "%s: %s%s, %d files, %d bytes sent, %.1f s%s",
                node.name(),
                outcome.label(),
                release == null ? "" : " " + release,
                filesSent,
                bytesSent,
                seconds,
                reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    }
}

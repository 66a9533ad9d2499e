package io.facsimile.core.deploy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of a deploy or rollback over all nodes, in node order.
 *
 * @param nodes one result per selected node
 * @param dryRun {@code true} when nothing was changed
 */
public record DeployReport(List<NodeResult> nodes, boolean dryRun) {

    public DeployReport {
        nodes = List.copyOf(nodes);
    }

    /** The nodes that failed. */
    public List<NodeResult> failed() {
        return nodes.stream().filter(n -> !n.outcome().ok()).toList();
    }

    /** {@code true} when no node failed. */
    public boolean ok() {
        return failed().isEmpty();
    }

    /** A message naming every failed node and why, for the build failure; empty when all went well. */
    public String failureMessage() {
        return failureMessage("deploy");
    }

    /** As {@link #failureMessage()}, for {@code action} ({@code deploy}, {@code rollback}). */
    public String failureMessage(String action) {
        if (ok()) {
            return "";
        }
        return failed().stream()
                .map(n -> n.node().name() + ": " + n.reason())
                .collect(Collectors.joining("\n  ", action + " failed on " + failed().size() + " node(s):\n  ", ""));
    }

    /**
     * Throws when a node failed: a broken run (an I/O or network failure, a refused connection) when
     * any failed node broke, a user error otherwise; the message names every failed node and why.
     *
     * @throws DeployException when {@link #ok()} is {@code false}
     */
    public void requireOk() {
        requireOk("deploy");
    }

    /** As {@link #requireOk()}, the message saying that {@code action} ({@code deploy}, {@code rollback}) failed. */
    public void requireOk(String action) {
        List<NodeResult> failed = failed();
        if (failed.isEmpty()) {
            return;
        }
        String message = failureMessage(action);
        if (failed.size() == 1 && failed.get(0).failure() != null) {
            DeployException e = failed.get(0).failure();
            throw e.isUserError() ? DeployException.refused(message) : DeployException.broken(message, e);
        }
        Optional<NodeResult> broken = failed.stream().filter(NodeResult::broken).findFirst();
        throw broken.isPresent()
                ? DeployException.broken(message, broken.get().failure())
                : DeployException.refused(message);
    }

    /** The closing table: node, outcome, files, bytes, seconds, reason. */
    public List<String> table() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format(
                Locale.ROOT, "%-24s %-12s %7s %12s %8s  %s", "node", "outcome", "files", "bytes", "seconds", "reason"));
        for (NodeResult n : nodes) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-24s %-12s %7d %12d %8.1f  %s",
                    n.node().name(),
                    n.outcome().label(),
                    n.filesSent(),
                    n.bytesSent(),
                    n.seconds(),
                    n.reason() == null ? "" : n.reason()));
        }
        return lines;
    }
}

package io.facsimile.core.deploy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One operation on one node: its transport, who runs it, the masker, and the counters that end up
 * in the node's {@link NodeResult}. Used by one thread.
 */
final class NodeRun {

    final Node node;
    final Transport transport;
    final DeployListener listener;
    final Masker masker;
    final String who;
    final Clock clock;
    private final long started = System.nanoTime();
    private final DeployLog log = new DeployLog();
    /** This run's guard files on the node: {@code .facsimile/guard-<token>} ({@link GuardScripts}). */
    final String guardBase =
            Layout.META_DIR + "/guard-" + java.util.UUID.randomUUID().toString().substring(0, 13);

    int filesSent;
    long bytesSent;

    NodeRun(Node node, Transport transport, DeployListener listener, Masker masker, String who, Clock clock) {
        this.node = node;
        this.transport = transport;
        this.listener = listener;
        this.masker = masker;
        this.who = who;
        this.clock = clock;
    }

    void info(String message) {
        listener.info(node, masker.mask(message));
    }

    void warn(String message) {
        listener.warn(node, masker.mask(message));
    }

    List<DeployLogEntry> readLog() {
        return log.read(transport);
    }

    void record(String release, String outcome, String hash, Strategy strategy) {
        log.append(transport, entry(release, outcome, hash, strategy));
    }

    /** The deploy log's line (no newline) for an entry made now, for a command on the node to append. */
    String logLine(String release, String outcome, String hash, Strategy strategy) {
        return log.line(entry(release, outcome, hash, strategy));
    }

    private DeployLogEntry entry(String release, String outcome, String hash, Strategy strategy) {
        return new DeployLogEntry(
                release,
                outcome,
                who,
                clock.instant().toString(),
                hash,
                strategy.key(),
                Math.round(seconds() * 1000) / 1000.0);
    }

    /**
     * Runs the postcmds one after the other in {@code dir}; stops at the first that fails. Each runs in a
     * process group of its own that is killed when it runs longer than {@code timeout}.
     *
     * @return why it failed (command, exit code or time-out, and output, secrets masked), or empty when all succeeded
     */
    Optional<String> postcmd(String dir, List<String> commands, Duration timeout) {
        for (String command : commands) {
            info("postcmd: " + command);
            ExecResult result = timed(dir, command, timeout);
            String output = masker.mask(result.output());
            if (!output.isEmpty()) {
                listener.output(node, output);
            }
            if (result.timedOut()) {
                return Optional.of("postcmd \"" + masker.mask(command) + "\" did not finish within "
                        + Durations.format(timeout) + " and was killed");
            }
            if (!result.ok()) {
                return Optional.of("postcmd \"" + masker.mask(command) + "\" exited with " + result.exitCode()
                        + (output.isBlank() ? " and printed nothing" : " (its output is above)"));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a command in {@code dir} in a session and process group of its own (recorded in
     * {@code guardBase.pgid}); when it is still running after {@code timeout} the whole group is killed
     * on the node, so that nothing it started lives on.
     */
    ExecResult timed(String dir, String command, Duration timeout) {
        ExecResult result = transport.exec("", GuardScripts.timed(guardBase, dir, command), timeout);
        if (result.timedOut()) {
            warn("\"" + command + "\" still runs after " + Durations.format(timeout) + "; killing its process group");
            transport.exec("", GuardScripts.kill(guardBase), Watchdog.QUICK);
        }
        return result;
    }

    /**
     * Points {@code current} at a release. The new link is made beside it and renamed over the old
     * one: rename(2) replaces atomically, so a reader always finds a {@code current}, old or new.
     */
    void switchCurrent(String releaseId) {
        transport.switchCurrent(temporaryLink(), Layout.linkTarget(releaseId));
    }

    /**
     * Points {@code current} at a release as {@link #switchCurrent} does and, on a node that runs commands,
     * appends the deploy log's line for {@code outcome} in the same command.
     *
     * @return whether the line was appended; when not, the caller {@link #record}s it
     * @throws DeployException when {@code current} was not switched
     */
    boolean switchAndLog(String releaseId, String outcome, String hash, Strategy strategy) {
        return transport.switchAndLog(
                temporaryLink(), Layout.linkTarget(releaseId), Layout.LOG, logLine(releaseId, outcome, hash, strategy));
    }

    private static String temporaryLink() {
        return Layout.CURRENT + ".tmp-" + java.util.UUID.randomUUID();
    }

    /**
     * Confinement before anything changes: the deploy's own directories must not be links (a link
     * planted there fails the node naming it, before a release is staged or a log line written).
     */
    void checkLayout() {
        for (String dir : new String[] {Layout.META_DIR, Layout.RELEASES}) {
            if (transport.readLink(dir).isPresent()) {
                throw DeployException.plantedLink(transport.describeHome() + "/" + dir, transport.describeHome());
            }
        }
    }

    Optional<String> currentRelease() {
        return transport.readLink(Layout.CURRENT).map(Layout::idOf);
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    NodeResult result(Outcome outcome, String release, String reason, DeployPlan plan) {
        return new NodeResult(node, outcome, release, filesSent, bytesSent, seconds(), masker.mask(reason), plan);
    }

    /** A failed result that keeps the exception that failed it. */
    NodeResult failed(DeployException failure) {
        return new NodeResult(
                node,
                Outcome.FAILED,
                null,
                filesSent,
                bytesSent,
                seconds(),
                masker.mask(failure.getMessage()),
                null,
                failure);
    }
}

package io.facsimile.core.deploy;

/**
 * The outcome of a command run on a node.
 *
 * @param exitCode the process exit code ({@code -1} when it timed out)
 * @param output standard output and standard error, interleaved, decoded as UTF-8; not yet masked
 * @param timedOut {@code true} when the command was still running at its time bound and was left
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {

    /** A result of a command that ended. */
    public ExecResult(int exitCode, String output) {
        this(exitCode, output, false);
    }

    /** {@code true} for exit code 0. */
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }
}

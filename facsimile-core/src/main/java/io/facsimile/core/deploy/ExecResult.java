package io.facsimile.core.deploy;

/**
 * The outcome of a command run on a node.
 *
 * @param exitCode the process exit code ({@code -1} when it timed out)
 * @param output standard output and standard error, interleaved, decoded as UTF-8; not yet masked
 * @param timedOut {@code true} when the command was still running at its time bound and was left
 * @param stdout standard output alone: what a command's answer is read from, so that whatever the node's
 *     shell writes to standard error as it starts (a {@code .bashrc} that warns) cannot be taken for it
 */
public record ExecResult(int exitCode, String output, boolean timedOut, String stdout) {

    /** A result whose output is all standard output. */
    public ExecResult(int exitCode, String output, boolean timedOut) {
        this(exitCode, output, timedOut, output);
    }

    /** A result of a command that ended, whose output is all standard output. */
    public ExecResult(int exitCode, String output) {
        this(exitCode, output, false);
    }

    /** Whether a line of standard output is exactly {@code word}: a command's answer, not a shell's noise. */
    public boolean said(String word) {
        return stdout.lines().anyMatch(word::equals);
    }

    /** {@code true} for exit code 0. */
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }
}

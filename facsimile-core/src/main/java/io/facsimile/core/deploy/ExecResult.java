package io.facsimile.core.deploy;

/**
 * The outcome of a command run on a node.
 *
 * @param exitCode the process exit code
 * @param output standard output and standard error, interleaved, decoded as UTF-8; not yet masked
 */
public record ExecResult(int exitCode, String output) {

    /** {@code true} for exit code 0. */
    public boolean ok() {
        return exitCode == 0;
    }
}

package io.facsimile.core.deploy;

/**
 * Hears what the engine does, so that a caller can show it (the Maven plugin maps these to its log).
 * Methods may be called from several threads at once, one node per thread.
 */
public interface DeployListener {

    /** A listener that ignores everything. */
    DeployListener NONE = new DeployListener() {};

    /** A step on a node worth a line at info level ("linking 41 files from release 1.0-ab12..."). Secrets masked. */
    default void info(Node node, String message) {}

    /** Something the user should know but that does not fail the node (a stale .partial removed). */
    default void warn(Node node, String message) {}

    /** Output of a command run on the node, secrets already masked. */
    default void output(Node node, String text) {}

    /** The node is done: one line of files, bytes, seconds ({@link NodeResult#line()}). */
    default void finished(NodeResult result) {}
}

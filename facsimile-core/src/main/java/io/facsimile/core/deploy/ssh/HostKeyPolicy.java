package io.facsimile.core.deploy.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the host keys of nodes are checked: against an OpenSSH {@code known_hosts} file (hashed
 * entries and {@code [host]:port} included). A host the file does not know is refused unless
 * {@code acceptNew}, in which case its key is appended to the file. A host whose key differs from
 * the file's is always refused.
 *
 * @param knownHosts the {@code known_hosts} file
 * @param acceptNew accept and record keys of hosts the file does not know
 */
public record HostKeyPolicy(Path knownHosts, boolean acceptNew) {

    public HostKeyPolicy {
        Objects.requireNonNull(knownHosts, "knownHosts");
    }

    /** {@code ~/.ssh/known_hosts}, strict. */
    public static HostKeyPolicy strict() {
        return new HostKeyPolicy(defaultKnownHosts(), false);
    }

    /** {@code ~/.ssh/known_hosts} of the current user. */
    public static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }
}

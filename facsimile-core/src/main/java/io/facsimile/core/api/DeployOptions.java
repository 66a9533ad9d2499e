package io.facsimile.core.api;

import io.facsimile.core.deploy.ssh.CredentialLookup;
import io.facsimile.core.deploy.ssh.HostKeyPolicy;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * How to run {@code deploy}, {@code rollback}, {@code diff} and {@code verify}.
 *
 * @param targets the targets of {@code deploy.nodes} to work on; empty for all
 * @param dryRun print what would happen and change nothing
 * @param destdir for a local deploy, a directory that {@code deploy.home} is placed below (like
 *     make's {@code DESTDIR}), or {@code null}
 * @param credentials for remote nodes: where the login of {@code deploy.server} (default
 *     {@code facsimile.<instance>}) is found
 * @param hostKeys for remote nodes: how their host keys are checked
 * @param checksum check the node's files by content, not by the quick check (size, time, inode)
 * @param force rollback: switch to a release that cannot be repaired all the same, with a warning
 * @param rollbackTo rollback: the release to go to (an id, or a version the node holds one release of),
 *     or {@code null} for the previous good release
 */
public record DeployOptions(
        Set<String> targets,
        boolean dryRun,
        Path destdir,
        CredentialLookup credentials,
        HostKeyPolicy hostKeys,
        boolean checksum,
        boolean force,
        String rollbackTo,
        String sshCiphers) {

    public DeployOptions {
        targets = Set.copyOf(targets);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeys, "hostKeys");
        rollbackTo = rollbackTo == null || rollbackTo.isBlank() ? null : rollbackTo.strip();
        sshCiphers = sshCiphers == null || sshCiphers.isBlank() ? null : sshCiphers.strip();
    }

    /** A copy whose rollback goes to {@code release} ({@code -Dfacsimile.to}); {@code null} for the previous good one. */
    public DeployOptions withRollbackTo(String release) {
        return new DeployOptions(targets, dryRun, destdir, credentials, hostKeys, checksum, force, release, sshCiphers);
    }

    /** Options with the quick check and without force. */
    public DeployOptions(
            Set<String> targets, boolean dryRun, Path destdir, CredentialLookup credentials, HostKeyPolicy hostKeys) {
        this(targets, dryRun, destdir, credentials, hostKeys, false, false, null, null);
    }

    /** Options for a local deploy, or a remote one with the default keys and {@code ~/.ssh/known_hosts}, strict. */
    public DeployOptions(Set<String> targets, boolean dryRun, Path destdir) {
        this(targets, dryRun, destdir, CredentialLookup.none(), HostKeyPolicy.strict());
    }
}

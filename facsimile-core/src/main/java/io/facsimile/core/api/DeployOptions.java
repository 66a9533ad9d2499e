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
 */
public record DeployOptions(Set<String> targets, boolean dryRun, Path destdir, CredentialLookup credentials,
        HostKeyPolicy hostKeys) {

    public DeployOptions {
        targets = Set.copyOf(targets);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeys, "hostKeys");
    }

    /** Options for a local deploy, or a remote one with the default keys and {@code ~/.ssh/known_hosts}, strict. */
    public DeployOptions(Set<String> targets, boolean dryRun, Path destdir) {
        this(targets, dryRun, destdir, CredentialLookup.none(), HostKeyPolicy.strict());
    }
}

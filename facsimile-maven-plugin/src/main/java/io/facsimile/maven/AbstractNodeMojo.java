package io.facsimile.maven;

import io.facsimile.core.api.DeployOptions;
import io.facsimile.core.deploy.ssh.HostKeyPolicy;
import io.facsimile.maven.internal.PropertyNames;
import io.facsimile.maven.internal.QuietLibraries;
import io.facsimile.maven.internal.SettingsCredentials;
import java.io.File;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;

/** A goal that works on the nodes of one instance: deploy, rollback, diff, verify. */
public abstract class AbstractNodeMojo extends AbstractArtifactAwareMojo {

    /**
     * Limits the goal to some targets of {@code deploy.nodes}, comma separated:
     * {@code -Dfacsimile.targets=frontend,db}. Empty: every target.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TARGETS)
    private String targets;

    /**
     * Prints what would happen and changes nothing on any node.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DRY_RUN, defaultValue = "false")
    private boolean dryRun;

    /**
     * For an instance without {@code deploy.nodes}: a directory that {@code deploy.home} is placed
     * below, like make's {@code DESTDIR} ({@code /srv/shop} becomes {@code <destdir>/srv/shop}). Without
     * it, a relative {@code deploy.home} is taken relative to the project directory.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DESTDIR)
    private File destdir;

    /**
     * For remote nodes: accept the host key of a node that the known hosts file does not list yet, and
     * append it to that file. A node whose key differs from the file's is refused all the same. Use it
     * once for new nodes, after checking their fingerprints.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ACCEPT_NEW_HOST_KEYS, defaultValue = "false")
    private boolean acceptNewHostKeys;

    /**
     * For remote nodes: the OpenSSH known hosts file their host keys are checked against (hashed
     * entries and {@code [host]:port} are understood). Default {@code ~/.ssh/known_hosts}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.KNOWN_HOSTS)
    private File knownHosts;

    /**
     * For remote nodes: the ciphers offered, best first, comma-separated as OpenSSH's {@code Ciphers} names
     * them ({@code aes128-gcm@openssh.com,aes128-ctr}). Default: MINA SSHD's own order, ChaCha20-Poly1305
     * first; the node's sshd picks the first it allows.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SSH_CIPHERS)
    private String sshCiphers;

    /**
     * Checks the files on the node by content (SHA-256 of every file) instead of the quick check
     * (type, size, mode, time and inode as recorded when the release was staged, like rsync's).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.CHECKSUM, defaultValue = "false")
    private boolean checksum;

    /**
     * Rollback: switch to a release that is incomplete or drifted and cannot be repaired from the
     * node, with a warning, instead of refusing.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.FORCE, defaultValue = "false")
    private boolean force;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    private Settings settings;

    /** The options the core takes. */
    protected final DeployOptions deployOptions() {
        QuietLibraries.apply(getLog());
        Set<String> selected = targets == null
                ? Set.of()
                : Arrays.stream(targets.split(","))
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        HostKeyPolicy hostKeys = new HostKeyPolicy(
                knownHosts == null ? HostKeyPolicy.defaultKnownHosts() : knownHosts.toPath(), acceptNewHostKeys);
        return new DeployOptions(
                selected,
                dryRun,
                destdir == null ? null : destdir.toPath(),
                new SettingsCredentials(settings, settingsDecrypter()),
                hostKeys,
                checksum,
                force,
                null,
                sshCiphers);
    }
}

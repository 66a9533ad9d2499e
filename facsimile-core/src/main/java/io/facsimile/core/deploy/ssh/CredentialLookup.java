package io.facsimile.core.deploy.ssh;

import java.util.Optional;

/**
 * Finds the credentials stored under an id, as Maven's settings.xml keeps {@code <server>}s. The
 * deploy asks for {@code deploy.server}, or {@code facsimile.<instance>} when that is absent.
 */
@FunctionalInterface
public interface CredentialLookup {

    /**
     * The credentials stored under {@code id}, decrypted, or empty when there are none.
     *
     * @throws io.facsimile.core.deploy.DeployException when they exist but cannot be read or decrypted
     */
    Optional<SshCredentials> find(String id);

    /**
     * The SOCKS proxy that the settings say connections to {@code host} go through, or empty. SSH
     * connections go through it; HTTP proxies serve Maven's downloads and do not apply.
     */
    default Optional<SocksProxy> socksProxyFor(String host) {
        return Optional.empty();
    }

    /** A lookup that never finds anything: the current user and the default keys. */
    static CredentialLookup none() {
        return id -> Optional.empty();
    }
}

package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.Node;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * The jump host an SSH connection goes through (OpenSSH's {@code ProxyJump}), with its own login: the
 * connection to a node is a {@code direct-tcpip} channel of an authenticated session with the jump host.
 * Its host key is checked against known_hosts like any node's.
 *
 * @param node the jump host (target {@code jump}, named as written in {@code deploy.jump})
 * @param credentials how to log in to the jump host
 * @param userOrigin where the jump host's login name came from, for a refused login
 */
public record JumpHost(Node node, SshCredentials credentials, String userOrigin) {

    public JumpHost {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(userOrigin, "userOrigin");
    }

    /** MINA's {@code proxyJump} for this host: {@code ssh://user@host:port}. */
    String proxyJump() {
        try {
            return new URI("ssh", credentials.login(), node.host(), node.port(), null, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the jump host " + node.name() + " is not a host name", e);
        }
    }

    /** {@code ops@bastion:22, user ops from …}, as a refused login names it. */
    String login() {
        return credentials.login() + "@" + node.host() + ":" + node.port() + ", user " + credentials.login() + " from "
                + userOrigin;
    }
}

package io.facsimile.core.deploy.ssh;

import java.util.Objects;

/**
 * A SOCKS proxy that SSH connections to some hosts go through, as a settings.xml {@code <proxy>} with
 * protocol {@code socks5} (or {@code socks4}) declares it.
 *
 * @param id the {@code <proxy>}'s id, for messages
 * @param protocol {@code socks5} or {@code socks4}, for messages
 * @param host the proxy's host
 * @param port the proxy's port
 * @param login whether the {@code <proxy>} has a {@code <username>}: a login SSH deploys cannot give (the
 *     JDK's SOCKS client takes one only from a JVM-wide authenticator)
 */
public record SocksProxy(String id, String protocol, String host, int port, boolean login) {

    public SocksProxy {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port " + port + " is not 1 to 65535");
        }
    }

    /** {@code socks5 proxy corp (proxy.corp:1080)}. */
    public String describe() {
        return protocol + " proxy " + id + " (" + host + ":" + port + ")";
    }
}

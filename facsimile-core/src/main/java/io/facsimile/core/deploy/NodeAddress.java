package io.facsimile.core.deploy;

import java.util.Objects;

/**
 * Where a node listens for SSH, as {@code deploy.nodes} and {@code deploy.jump} write it: {@code host},
 * {@code host:port} or {@code [v6]:port}. Read once, when the definition is read.
 *
 * @param spec the address as written, which reports name the node by
 * @param host the host name or address to connect to
 * @param port the SSH port, 22 unless written
 */
public record NodeAddress(String spec, String host, int port) {

    /** The SSH port when the address names none. */
    public static final int SSH_PORT = 22;

    public NodeAddress {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(host, "host");
    }

    /**
     * Reads an address as written.
     *
     * @throws IllegalArgumentException saying what is wrong with it, for a message that names the key
     */
    public static NodeAddress parse(String spec) {
        String host = spec;
        int port = SSH_PORT;
        int colon = spec.lastIndexOf(':');
        boolean bracketed = spec.startsWith("[");
        if (colon > 0 && (bracketed ? spec.lastIndexOf(']') < colon : spec.indexOf(':') == colon)) {
            host = spec.substring(0, colon);
            try {
                port = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "\"" + spec + "\" has a port that is not a number; write host or host:port");
            }
        }
        if (bracketed && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("\"" + spec + "\" is not host or host:port");
        }
        return new NodeAddress(spec, host, port);
    }

    /** This address as a node of {@code target}, named as written. */
    public Node node(String target) {
        return new Node(target, spec, host, port);
    }
}

package io.facsimile.core.deploy;

import java.util.Objects;

/**
 * One host that receives the deploy tree.
 *
 * @param target the target of {@code deploy.nodes} the node belongs to ({@code local} for a local deploy)
 * @param name how the node is named in reports: the host as written in the definition, or {@code local}
 * @param host the host name or address to connect to
 * @param port the SSH port; 22 unless the definition says {@code host:port}, 0 for the local node
 */
public record Node(String target, String name, String host, int port) {

    /** The only node of a deploy without {@code deploy.nodes}: this machine. */
    public static final Node LOCAL = new Node("local", "local", "localhost", 0);

    public Node {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }

    // equals and hashCode spelled out: the record's own bootstrap java.lang.runtime.ObjectMethods on their first
    // call, tens of milliseconds of a fresh JVM, and every deploy asks whether its node is the local one

    @Override
    public boolean equals(Object other) {
        return other instanceof Node node
                && port == node.port
                && target.equals(node.target)
                && name.equals(node.name)
                && host.equals(node.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, name, host, port);
    }

    /** {@code true} for {@link #LOCAL}. */
    public boolean isLocal() {
        return this.equals(LOCAL);
    }
}

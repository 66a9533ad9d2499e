package io.facsimile.core.describe;

import java.util.List;

/**
 * A named group of nodes of {@code deploy.nodes}.
 *
 * @param name the target, e.g. {@code db}; {@value #LOCAL} for an instance without nodes
 * @param nodes its hosts, as written ({@code host} or {@code host:port}); for the local target, the
 *     directory it deploys to, when set
 */
public record DeployTarget(String name, List<String> nodes) {

    /** The target of an instance without {@code deploy.nodes}: this machine. */
    public static final String LOCAL = "local";

    public DeployTarget {
        nodes = List.copyOf(nodes);
    }
}

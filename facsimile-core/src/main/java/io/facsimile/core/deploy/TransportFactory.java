package io.facsimile.core.deploy;

/**
 * Opens a {@link Transport} to a node. The local deploy has one for {@link Node#LOCAL}; the SSH
 * deploy opens a session per node. The engine closes what it opens.
 */
@FunctionalInterface
public interface TransportFactory {

    /**
     * Connects to a node.
     *
     * @throws DeployException when the node cannot be reached or refused (the message names the node)
     */
    Transport open(Node node);
}

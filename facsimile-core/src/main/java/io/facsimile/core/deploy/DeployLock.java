package io.facsimile.core.deploy;

/** The lock of a node's deploy home, held while a deploy, rollback or cleanup changes it. */
public interface DeployLock extends AutoCloseable {

    /** Lets go of the lock. */
    @Override
    void close();
}

package io.facsimile.core.state;

import io.facsimile.core.lock.FileLocks;
import io.facsimile.core.lock.JvmLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;

/**
 * The lock of one state: first the in-JVM lock ({@link JvmLocks}), then an exclusive OS lock on
 * {@code <state dir>/.lock}, so that threads of one build and separate builds (two shells, a CI job)
 * serialise. The OS drops the file lock when a process dies, so a {@code .lock} file left behind by a
 * killed build never blocks anyone; the file itself is never deleted (deleting it would let two
 * processes lock two different files of the same name).
 */
final class StateLock implements AutoCloseable {

    static final String LOCK_FILE = ".lock";

    private final JvmLocks.Held jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private StateLock(JvmLocks.Held jvmLock, FileChannel channel, FileLock fileLock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Takes the lock of the state in {@code stateDirectory} (a real path: the key of the in-JVM lock),
     * waiting at most {@code timeout} in total.
     *
     * @throws StateException when the wait times out (naming the lock file), is interrupted, or the lock
     *     file cannot be opened
     */
    static StateLock acquire(Path stateDirectory, String stateName, Duration timeout) {
        Path lockFile = stateDirectory.resolve(LOCK_FILE);
        long deadline = System.nanoTime() + timeout.toNanos();
        JvmLocks.Held jvmLock;
        try {
            jvmLock = JvmLocks.SHARED.acquire(stateDirectory, timeout.toNanos(), "state '" + stateName + "'");
        } catch (IllegalStateException e) {
            throw StateException.broken(
                    "State '" + stateName + "' is already open in this thread (lock " + lockFile
                            + "); close the first session before opening it again",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(stateName, lockFile, e);
        }
        if (jvmLock == null) {
            throw timedOut(stateName, lockFile, timeout, "another thread of this build");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    Permissions.fileAttributes(lockFile));
            FileLock fileLock = FileLocks.waitFor(channel, deadline);
            if (fileLock == null) {
                throw timedOut(stateName, lockFile, timeout, "another process (a second mvn, a CI job)");
            }
            return new StateLock(jvmLock, channel, fileLock);
        } catch (IOException e) {
            FileLocks.closeQuietly(channel);
            jvmLock.release();
            throw StateException.io("Cannot lock state '" + stateName + "' with " + lockFile, e);
        } catch (InterruptedException e) {
            FileLocks.closeQuietly(channel);
            jvmLock.release();
            Thread.currentThread().interrupt();
            throw interrupted(stateName, lockFile, e);
        } catch (RuntimeException e) {
            FileLocks.closeQuietly(channel);
            jvmLock.release();
            throw e;
        }
    }

    private static StateException timedOut(String stateName, Path lockFile, Duration timeout, String holder) {
        return StateException.broken(
                "Timed out after " + describe(timeout) + " waiting for the lock " + lockFile
                        + " of state '" + stateName + "', held by " + holder + ". Wait for that run to finish and try"
                        + " again; a lock left by a killed run is released by the OS, so the file need not be deleted",
                null);
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static StateException interrupted(String stateName, Path lockFile, InterruptedException e) {
        return StateException.broken(
                "Interrupted while waiting for the lock " + lockFile + " of state '" + stateName + "'", e);
    }

    /** Releases the OS lock, then the in-JVM lock. Safe to call more than once and from any thread. */
    @Override
    public void close() {
        try {
            if (fileLock.isValid()) {
                fileLock.release();
            }
        } catch (IOException ignored) {
            // The channel is closed below, which releases the lock anyway.
        } finally {
            FileLocks.closeQuietly(channel);
            jvmLock.release();
        }
    }
}

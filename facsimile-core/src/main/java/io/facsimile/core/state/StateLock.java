package io.facsimile.core.state;

import io.facsimile.core.lock.ExclusiveFileLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;

/**
 * The lock of one state: this JVM's queue, then an exclusive OS lock ({@link ExclusiveFileLock}) on
 * {@code <state dir>/.lock}, so that threads of one build and separate builds (two shells, a CI job)
 * serialise. The OS drops the file lock when a process dies, so a {@code .lock} file left behind by a
 * killed build never blocks anyone; the file itself is never deleted (deleting it would let two
 * processes lock two different files of the same name).
 */
final class StateLock implements AutoCloseable {

    static final String LOCK_FILE = ".lock";

    private final ExclusiveFileLock held;

    private StateLock(ExclusiveFileLock held) {
        this.held = held;
    }

    /**
     * Takes the lock of the state in {@code stateDirectory} (a real path: its lock file is the key of the
     * in-JVM lock), waiting at most {@code timeout} in total.
     *
     * @throws StateException when the wait times out (naming the lock file), is interrupted, or the lock
     *     file cannot be opened
     */
    static StateLock acquire(Path stateDirectory, String stateName, Duration timeout) {
        Path lockFile = stateDirectory.resolve(LOCK_FILE);
        try {
            return new StateLock(ExclusiveFileLock.take(
                    lockFile,
                    f -> FileChannel.open(
                            f,
                            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            Permissions.fileAttributes(f)),
                    timeout,
                    "state '" + stateName + "'",
                    null,
                    null,
                    holder -> {}));
        } catch (ExclusiveFileLock.Busy e) {
            throw timedOut(
                    stateName,
                    lockFile,
                    timeout,
                    e.inThisJvm() ? "another thread of this build" : "another process (a second mvn, a CI job)");
        } catch (ExclusiveFileLock.AlreadyHeld e) {
            throw StateException.broken(
                    "State '" + stateName + "' is already open in this thread (lock " + lockFile
                            + "); close the first session before opening it again",
                    null);
        } catch (IOException e) {
            throw StateException.io("Cannot lock state '" + stateName + "' with " + lockFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(stateName, lockFile, e);
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
        held.close();
    }
}

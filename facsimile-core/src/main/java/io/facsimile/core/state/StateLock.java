package io.facsimile.core.state;

import io.facsimile.core.lock.ExclusiveFileLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    /** The lock of the encrypted state file that builds with other local state directories share; or {@code null}. */
    private final ExclusiveFileLock shared;

    private StateLock(ExclusiveFileLock held, ExclusiveFileLock shared) {
        this.held = held;
        this.shared = shared;
    }

    /**
     * Takes the lock of the state in {@code stateDirectory} (a real path: its lock file is the key of the
     * in-JVM lock), waiting at most {@code timeout} in total.
     *
     * @throws StateException when the wait times out (naming the lock file), is interrupted, or the lock
     *     file cannot be opened
     */
    static StateLock acquire(Path stateDirectory, String stateName, Duration timeout) {
        return new StateLock(take(stateDirectory.resolve(LOCK_FILE), stateName, timeout, "build"), null);
    }

    /**
     * Also takes the lock of the encrypted state kept in {@code sharedFile}: two modules of a reactor, or two
     * builds, share it in {@code <definitions>/state} while each locks its own local state directory. The lock
     * file is {@code <locks>/state-<digest of the shared file's path>.lock} ({@code locks} is the user's own
     * {@code ~/.facsimile/locks}), so that nothing but the encrypted states lands in the directory the team
     * commits. Waits at most {@code timeout}; on failure this lock is released too. When {@code locks} cannot
     * be made (a home that cannot be written), this lock alone is returned.
     *
     * @throws StateException as {@link #acquire}, naming the shared file
     */
    StateLock withShared(Path sharedFile, Path locks, String stateName, Duration timeout) {
        try {
            try {
                Files.createDirectories(locks, Permissions.directoryAttributes(locks));
            } catch (IOException e) {
                // a home that cannot be written (a CI user's /nonexistent): the local lock alone, as before
                if (!Files.exists(locks, LinkOption.NOFOLLOW_LINKS)) {
                    return this;
                }
                throw e;
            }
            if (!Files.isDirectory(locks, LinkOption.NOFOLLOW_LINKS)) {
                throw StateException.broken(
                        locks + ", where builds sharing the encrypted state " + sharedFile
                                + " take its lock, is not a directory but a link or a file: move it away",
                        null);
            }
            Path lockFile = locks.resolve("state-" + keyOf(sharedFile) + ".lock");
            return new StateLock(held, take(lockFile, stateName, timeout, "build sharing " + sharedFile));
        } catch (IOException e) {
            close();
            throw StateException.io(
                    "Cannot create " + locks + ", where builds sharing the encrypted state " + sharedFile
                            + " take its lock (make the user's home writable)",
                    e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The lock file's name for {@code sharedFile}: the real spelling of its nearest existing directory and the
     * names below it, so that a link to it shares the lock, before and after its directory is made.
     */
    private static String keyOf(Path sharedFile) throws IOException {
        Path absolute = sharedFile.toAbsolutePath().normalize();
        Path existing = absolute.getParent();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        Path real = existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
        return StateFiles.digest(real.toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 32);
    }

    private static ExclusiveFileLock take(Path lockFile, String stateName, Duration timeout, String what) {
        try {
            return ExclusiveFileLock.take(
                    lockFile,
                    f -> FileChannel.open(
                            f,
                            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                            Permissions.fileAttributes(f)),
                    timeout,
                    "state '" + stateName + "'",
                    null,
                    null,
                    holder -> {});
        } catch (ExclusiveFileLock.Busy e) {
            throw timedOut(
                    stateName,
                    lockFile,
                    timeout,
                    e.inThisJvm() ? "another thread of this " + what : "another process (a second mvn, a CI job)");
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

    /** Releases the OS locks, then the in-JVM locks. Safe to call more than once and from any thread. */
    @Override
    public void close() {
        try {
            if (shared != null) {
                shared.close();
            }
        } finally {
            held.close();
        }
    }
}

package io.facsimile.core.lock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.concurrent.TimeUnit;

/**
 * The one way Facsimile waits for an OS lock on a {@link FileChannel}, for {@link ExclusiveFileLock}, which
 * serialises the threads of this JVM first ({@link JvmLocks}); this handles the rest, including a lock held in this JVM through another class
 * loader (two plugin realms), which the JDK reports as {@link OverlappingFileLockException} and which
 * is waited for like a lock of another process.
 */
public final class FileLocks {

    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private FileLocks() {}

    /** Closes {@code channel}, which also lets go of any lock on it; {@code null} and failures are ignored. */
    public static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing releases the lock; nothing more to undo.
            }
        }
    }

    /**
     * Takes an exclusive lock on {@code channel}, polling until {@code deadline} ({@link System#nanoTime()}).
     *
     * @return the lock, or {@code null} when it was still held by someone else at the deadline
     */
    public static FileLock waitFor(FileChannel channel, long deadline) throws IOException, InterruptedException {
        long pause = FIRST_POLL_NANOS;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // Held in this JVM through another class loader's registry: wait as for another process.
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, remaining));
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }
}

package io.facsimile.core.lock;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-JVM half of a file lock ({@link ExclusiveFileLock}): at most one holder per key (the lock file)
 * in this JVM.
 *
 * <p>A {@link java.nio.channels.FileLock} belongs to the whole JVM (a second lock on the same file from
 * the same JVM fails instead of waiting), so threads of one JVM ({@code mvn -T}) must serialise among
 * themselves before they ask the OS ({@link FileLocks}). Each key has a one-permit {@link Semaphore} rather than a
 * {@code ReentrantLock}: a lock may be released by a thread other than the one that took it, and a
 * thread that opens the same state twice fails at once instead of deadlocking on itself. Entries are
 * counted and removed when no one holds or waits for them, so the registry does not grow with the
 * number of states a long-lived JVM has seen.
 */
public final class JvmLocks {

    /**
     * The registry of this JVM (of this class loader). It is static mutable state, and it has to be: the
     * OS lock it complements is JVM-wide, so every state store and local deploy must see the same registry.
     */
    public static final JvmLocks SHARED = new JvmLocks();

    private final Map<Path, Entry> entries = new HashMap<>(); // guarded by this

    private static final class Entry {
        final Semaphore permit = new Semaphore(1, true);
        int users; // holders and waiters, guarded by the registry
        volatile Thread owner;
        volatile String holder;
    }

    /** A held in-JVM lock; {@link #release()} may be called from any thread and more than once. */
    public final class Held {
        private final Path key;
        private final Entry entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Held(Path key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                entry.owner = null;
                entry.holder = null;
                entry.permit.release();
                leave(key, entry);
            }
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for the lock on {@code key}.
     *
     * @param holder who takes it, for the message of whoever waits next ({@link #holder(Path)})
     * @return the held lock, or {@code null} when the time ran out
     * @throws IllegalStateException when the calling thread already holds this lock
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public Held acquire(Path key, long timeoutNanos, String holder) throws InterruptedException {
        Entry entry;
        synchronized (this) {
            entry = entries.computeIfAbsent(key, k -> new Entry());
            if (entry.owner == Thread.currentThread()) {
                throw new IllegalStateException("this thread already holds the lock");
            }
            entry.users++;
        }
        boolean acquired = false;
        try {
            acquired = entry.permit.tryAcquire(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } finally {
            if (!acquired) {
                leave(key, entry);
            }
        }
        if (!acquired) {
            return null;
        }
        entry.owner = Thread.currentThread();
        entry.holder = holder;
        return new Held(key, entry);
    }

    /** Who holds the lock on {@code key} now, as given to {@link #acquire}; {@code null} when no one is known. */
    public synchronized String holder(Path key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.holder;
    }

    /** Keys with a holder or a waiter; for tests that check that the registry does not leak. */
    public synchronized int size() {
        return entries.size();
    }

    private synchronized void leave(Path key, Entry entry) {
        entry.users--;
        if (entry.users == 0) {
            entries.remove(key, entry);
        }
    }
}

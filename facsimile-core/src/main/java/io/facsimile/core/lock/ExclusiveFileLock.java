package io.facsimile.core.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An exclusive OS lock on a file, as the state, a release dir and a local deploy without util-linux
 * {@code flock} take it: this JVM's queue for the file first ({@link JvmLocks}: on POSIX, closing any
 * descriptor of a file in a process drops its {@code fcntl} locks, so threads of one JVM must not both hold
 * one), then the {@link FileChannel} lock, polled until the wait runs out ({@link FileLocks#waitFor}). The
 * holder may write a line naming itself into the file, which one waiting reads to say whom it waits for.
 * The OS drops the lock when its holder dies; the file is never deleted (two processes would then lock two
 * files of one name). Callers turn {@link Busy} and the other failures into their own errors.
 */
public final class ExclusiveFileLock implements AutoCloseable {

    /** Opens the lock file for {@link #take}, with the options and attributes its owner wants. */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    /** Opens the lock file for reading and writing, created when missing; a link there fails the open. */
    public static final Opener NO_LINK = file -> FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /** The lock is still held by another thread or process at the end of the wait. */
    public static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient String holder;
        private final boolean inThisJvm;

        Busy(String holder, boolean inThisJvm) {
            super("held by " + holder, null, false, false);
            this.holder = holder;
            this.inThisJvm = inThisJvm;
        }

        /** Who holds it, as its holder described itself; {@code null} when it did not say. */
        public String holder() {
            return holder;
        }

        /** Whether a thread of this JVM holds it (then {@link #holder()} is what that thread gave {@link #take}). */
        public boolean inThisJvm() {
            return inThisJvm;
        }
    }

    /** The calling thread holds the lock already: waiting would wait for itself. */
    public static final class AlreadyHeld extends Exception {
        private static final long serialVersionUID = 1L;

        AlreadyHeld() {
            super("this thread holds the lock already", null, false, false);
        }
    }

    private final JvmLocks.Held inThisJvm;
    private final FileChannel channel;
    private final FileLock lock;

    private ExclusiveFileLock(JvmLocks.Held inThisJvm, FileChannel channel, FileLock lock) {
        this.inThisJvm = inThisJvm;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code file}, waiting at most {@code wait} in all.
     *
     * @param file the lock file, absolute and normalised: the key of this JVM's queue too
     * @param open opens it (creating it when missing)
     * @param wait the longest wait, for this JVM's queue and the OS lock together
     * @param inJvmHolder how this thread is named to other threads of this JVM waiting for it
     * @param holderLine the line written into the file once it is locked; {@code null} to write nothing
     * @param progress how often {@code waiting} is told whom the wait is for, at once and then every so
     *     often; {@code null} to wait silently
     * @param waiting told the holder written in the file ({@code null} when none is written yet)
     * @throws Busy when the lock is still held at the end of the wait
     * @throws AlreadyHeld when this thread holds the lock already
     */
    public static ExclusiveFileLock take(
            Path file,
            Opener open,
            Duration wait,
            String inJvmHolder,
            String holderLine,
            Duration progress,
            Consumer<String> waiting)
            throws Busy, AlreadyHeld, IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        JvmLocks.Held inThisJvm;
        try {
            inThisJvm = JvmLocks.SHARED.acquire(file, wait.toNanos(), inJvmHolder);
        } catch (IllegalStateException e) {
            throw new AlreadyHeld();
        }
        if (inThisJvm == null) {
            throw new Busy(JvmLocks.SHARED.holder(file), true);
        }
        FileChannel channel = null;
        try {
            channel = open.open(file);
            FileLock lock = progress == null
                    ? FileLocks.waitFor(channel, deadline)
                    : FileLocks.waitFor(channel, System.nanoTime()); // one try before saying anything
            while (lock == null && progress != null && deadline - System.nanoTime() > 0) {
                waiting.accept(holder(channel));
                lock = FileLocks.waitFor(channel, Math.min(deadline, System.nanoTime() + progress.toNanos()));
            }
            if (lock == null) {
                throw new Busy(holder(channel), false);
            }
            if (holderLine != null) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((holderLine + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            }
            return new ExclusiveFileLock(inThisJvm, channel, lock);
        } catch (IOException | InterruptedException | Busy | RuntimeException e) {
            FileLocks.closeQuietly(channel);
            inThisJvm.release();
            throw e;
        }
    }

    /**
     * The first line written in the locked file, or {@code null} when there is none (not written yet, or a
     * file that cannot be read while another holds it, as on Windows, whose locks are mandatory).
     */
    private static String holder(FileChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(300);
        int n;
        try {
            n = channel.read(buffer, 0);
        } catch (IOException | RuntimeException e) {
            return null; // opened for writing only, or locked mandatorily by its holder
        }
        String text = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? null : text.lines().findFirst().orElse(null);
    }

    /**
     * Lets the lock go: the OS lock, then this JVM's; the holder line stays, as the deploy lock's program
     * leaves it, until the next holder writes its own. Safe to call more than once and from any thread;
     * closing the channel drops the lock whatever fails before.
     */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel below releases the lock anyway
        } finally {
            FileLocks.closeQuietly(channel);
            inThisJvm.release();
        }
    }
}

package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.lock.FileLocks;
import io.facsimile.core.lock.JvmLocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lock of one instance's release dir while a goal renders it: this JVM's queue ({@link JvmLocks}),
 * then an exclusive OS lock on {@code <release root>/.<instance>.lock}, so that two builds rendering the
 * same instance at once (an IDE's and a terminal's) take turns instead of writing over each other's
 * files, stamp and records. The holder (process, user, time) is written into the file, so that one
 * waiting can say whom it waits for. The OS drops the lock when its holder dies; the file is never
 * deleted. {@code package} holds it from rendering the release through its sealed copy to the archive;
 * the render inside takes it again as a no-op.
 */
final class ReleaseDirLock implements AutoCloseable {

    /** The longest a render waits for another build's render of the same instance. */
    static final Duration WAIT = Duration.ofMinutes(5);

    /** How often a render waiting for the lock says so. */
    static final Duration PROGRESS = Duration.ofSeconds(10);

    /** The lock files each thread holds: a thread that holds one takes it again as a no-op (package renders under it). */
    private static final ThreadLocal<Set<Path>> HELD = ThreadLocal.withInitial(HashSet::new);

    private final Path file;
    private final JvmLocks.Held inThisJvm;
    private final FileChannel channel;

    private ReleaseDirLock(Path file, JvmLocks.Held inThisJvm, FileChannel channel) {
        this.file = file;
        this.inThisJvm = inThisJvm;
        this.channel = channel;
    }

    /** The lock file of {@code releaseDir}: beside it, as its stamp is. */
    static Path file(Path releaseDir) {
        return releaseDir.resolveSibling("." + releaseDir.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code releaseDir}, waiting at most {@code wait} and telling {@code waiting} whom it
     * waits for at once and then every {@link #PROGRESS}.
     *
     * @throws FacsimileException when the wait runs out (naming the holder and the lock file), is
     *     interrupted, or the lock file cannot be opened
     */
    static ReleaseDirLock take(Path releaseDir, Duration wait, Consumer<String> waiting) {
        Path file = file(releaseDir).toAbsolutePath().normalize();
        if (HELD.get().contains(file)) {
            return new ReleaseDirLock(null, null, null); // held by this thread already, which lets it go
        }
        long deadline = System.nanoTime() + wait.toNanos();
        JvmLocks.Held inThisJvm = null;
        FileChannel channel = null;
        try {
            try {
                inThisJvm = JvmLocks.SHARED.acquire(file, wait.toNanos(), "a thread of this build");
            } catch (IllegalStateException e) {
                // this thread holds it already, which HELD answers before: a bug
                throw FacsimileException.broken("the lock " + file + " is held by this very thread", e);
            }
            if (inThisJvm == null) {
                throw busy(releaseDir, file, "another thread of this build", wait);
            }
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock = FileLocks.waitFor(channel, System.nanoTime()); // one try
            while (lock == null) {
                String holder = holder(channel);
                waiting.accept("waiting for the lock " + file.getFileName() + " of " + releaseDir.getFileName()
                        + ", which another build rendering it holds (" + holder + "), at most "
                        + describe(wait));
                lock = FileLocks.waitFor(channel, Math.min(deadline, System.nanoTime() + PROGRESS.toNanos()));
                if (lock == null && System.nanoTime() - deadline >= 0) {
                    throw busy(releaseDir, file, holder(channel), wait);
                }
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(description().getBytes(StandardCharsets.UTF_8)), 0);
            HELD.get().add(file);
            return new ReleaseDirLock(file, inThisJvm, channel);
        } catch (IOException e) {
            release(inThisJvm, channel);
            throw FacsimileException.broken("cannot lock " + file + " to render " + releaseDir.getFileName(), e);
        } catch (InterruptedException e) {
            release(inThisJvm, channel);
            Thread.currentThread().interrupt();
            throw FacsimileException.broken("interrupted while waiting for the lock " + file, e);
        } catch (RuntimeException e) {
            release(inThisJvm, channel);
            throw e;
        }
    }

    private static FacsimileException busy(Path releaseDir, Path file, String holder, Duration wait) {
        return FacsimileException.userError("Another build is rendering " + releaseDir.getFileName() + " ("
                + holder + ") and did not finish within " + describe(wait) + "; wait for it and run"
                + " again. A lock left by a killed build is released by the OS: " + file
                + " need not be deleted");
    }

    private static String describe(Duration wait) {
        if (wait.toSeconds() >= 60 && wait.toSecondsPart() == 0) {
            return wait.toMinutes() + " min";
        }
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }

    /**
     * Who takes the lock: this process, its user and the time (no host name: looking it up may wait for
     * DNS, and the lock is in a build directory of this machine).
     */
    private static String description() {
        return "pid " + ProcessHandle.current().pid() + " of " + System.getProperty("user.name") + " since "
                + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
    }

    /** The holder written in the lock file, one line; "holder unknown" before the holder has written it. */
    private static String holder(FileChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(200);
        int n;
        try {
            n = channel.read(buffer, 0);
        } catch (IOException e) {
            return "holder unknown"; // Windows' locks are mandatory: the holder's lock keeps others from reading
        }
        String text = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "holder unknown" : text.lines().findFirst().orElse("");
    }

    private static void release(JvmLocks.Held inThisJvm, FileChannel channel) {
        FileLocks.closeQuietly(channel);
        if (inThisJvm != null) {
            inThisJvm.release();
        }
    }

    /** Lets the lock go: the OS lock, then this JVM's. */
    @Override
    public void close() {
        if (file != null) {
            HELD.get().remove(file);
            release(inThisJvm, channel);
        }
    }
}

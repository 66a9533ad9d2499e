package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.HomeLock;
import io.facsimile.core.lock.FileLocks;
import io.facsimile.core.lock.JvmLocks;
import java.io.File;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The deploy lock of a local home. Where util-linux {@code flock} is on the {@code PATH} (Linux), it is
 * {@link HomeLock}: {@code flock(2)} held by a child shell, exactly as the SSH transport takes it on a
 * node, so that a local and an SSH deploy of one directory exclude each other. Elsewhere (macOS,
 * Windows) it is a {@link FileChannel} lock, which excludes other local deploys only. Either way the
 * OS drops the lock when its holder dies, so a crash never leaves the home locked.
 */
final class LocalLock implements DeployLock {

    private static final boolean FLOCK = onPath("flock") && onPath("sh");

    private static final String HOME_LOCK_FILE = ".facsimile-deploy.lock";

    private final Process holder;
    private final Path key;
    private final JvmLocks.Held inThisJvm;
    private final FileChannel channel;
    private final FileLock lock;

    private LocalLock(Process holder, Path key, JvmLocks.Held inThisJvm, FileChannel channel, FileLock lock) {
        this.holder = holder;
        this.key = key;
        this.inThisJvm = inThisJvm;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * How long the lock program may take to answer beyond the lock's wait, in which it answers by itself:
     * more only when it hangs (a FIFO swapped in for the lock file as it opens it, a hung file system).
     */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(30);

    static DeployLock acquire(Path home, String user, Duration wait, Consumer<String> waiting) {
        return acquire(home, user, wait, ANSWER_MARGIN, waiting);
    }

    static DeployLock acquire(Path home, String user, Duration wait, Duration margin, Consumer<String> waiting) {
        String description = HomeLock.holder(user);
        return FLOCK
                ? flock(home, description, wait, margin, waiting)
                : fileChannel(home.resolve(HOME_LOCK_FILE), description, wait);
    }

    /** Whether the lock is util-linux {@code flock} held by a child shell ({@link HomeLock}). */
    static boolean usesFlock() {
        return FLOCK;
    }

    private static DeployLock flock(
            Path home, String description, Duration wait, Duration margin, Consumer<String> waiting) {
        String command = HomeLock.command(quote(home.toString()), quote(description), wait);
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw DeployException.io("cannot start flock to lock " + home, e);
        }
        // bounded as over SSH: a program that has not answered by the lock's wait and the margin is killed
        Duration limit = wait.plus(margin);
        AtomicInteger outcome = new AtomicInteger(PENDING);
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (outcome.compareAndSet(PENDING, KILLED)) {
                        p.destroyForcibly();
                    }
                });
        try {
            HomeLock.await(
                    p.getInputStream(), () -> "", () -> exitValue(p), home.toString(), "this machine", wait, waiting);
            if (!outcome.compareAndSet(PENDING, ANSWERED)) {
                throw unanswered(home, wait, margin, null);
            }
            return new LocalLock(p, null, null, null, null);
        } catch (IOException e) {
            p.destroy();
            throw outcome.get() == KILLED
                    ? unanswered(home, wait, margin, e)
                    : DeployException.io("cannot lock " + home, e);
        } catch (RuntimeException e) {
            p.destroy();
            throw outcome.get() == KILLED ? unanswered(home, wait, margin, e) : e;
        }
    }

    private static final int PENDING = 0;
    private static final int ANSWERED = 1;
    private static final int KILLED = 2;

    private static DeployException unanswered(Path home, Duration wait, Duration margin, Exception cause) {
        return DeployException.broken(
                "cannot lock " + home + ": the lock program did not answer within "
                        + wait.plus(margin).toSeconds()
                        + " s (the lock's wait and " + margin.toSeconds() + " s more) and was stopped. Is "
                        + home.resolve(HOME_LOCK_FILE) + " a FIFO, or the file system hung? Remove it and run again",
                cause);
    }

    private static int exitValue(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw DeployException.broken("interrupted while waiting for the deploy lock", e);
        }
    }

    /** The lock where util-linux {@code flock} is missing: this JVM's queue, then a {@link FileChannel} lock. */
    static DeployLock fileChannel(Path file, String description, Duration wait) {
        Path key = file.toAbsolutePath().normalize();
        long deadline = System.nanoTime() + wait.toNanos();
        // Only for the FileChannel fallback: on POSIX closing *any* descriptor of a file in this process
        // drops its fcntl lock, so threads of this JVM queue first, keyed by the lock file, before they
        // touch it. flock(2) locks belong to an open file description and need no such queue.
        JvmLocks.Held inThisJvm;
        try {
            inThisJvm = JvmLocks.SHARED.acquire(key, wait.toNanos(), description);
        } catch (IllegalStateException e) {
            throw busy(key, description, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeployException.broken("interrupted while waiting for the lock " + file, e);
        }
        if (inThisJvm == null) {
            throw busy(key, JvmLocks.SHARED.holder(key), wait);
        }
        FileChannel channel = null;
        try {
            if (Files.isSymbolicLink(key)
                    || Files.exists(key, LinkOption.NOFOLLOW_LINKS)
                            && !Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS)) {
                throw DeployException.refused(key + " is a link or not a regular file; Facsimile never follows a link"
                        + " it did not create. Remove it and run again");
            }
            channel = FileChannel.open(
                    key,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock = FileLocks.waitFor(channel, deadline);
            if (lock == null) {
                throw busy(key, read(channel), wait);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((description + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new LocalLock(null, key, inThisJvm, channel, lock);
        } catch (IOException e) {
            FileLocks.closeQuietly(channel);
            inThisJvm.release();
            throw DeployException.io("cannot lock " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            FileLocks.closeQuietly(channel);
            inThisJvm.release();
            throw DeployException.broken("interrupted while waiting for the lock " + key, e);
        } catch (RuntimeException e) {
            FileLocks.closeQuietly(channel);
            inThisJvm.release();
            throw e;
        }
    }

    private static DeployException busy(Path key, String holder, Duration wait) {
        String who = holder == null || holder.isBlank() ? "another deploy" : holder.trim();
        return DeployException.refused("the deploy home " + key.getParent() + " is locked by " + who + "; waited "
                + wait.toSeconds() + " s. Let that deploy finish and run again");
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    /** One word for {@code sh}, as the SSH transport quotes. */
    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (holder != null) {
            try {
                holder.getOutputStream().close();
                if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                    holder.destroy();
                }
            } catch (IOException e) {
                holder.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                holder.destroy();
            }
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            throw DeployException.io("cannot release the deploy lock " + key, e);
        } finally {
            FileLocks.closeQuietly(channel);
            inThisJvm.release();
        }
    }
}

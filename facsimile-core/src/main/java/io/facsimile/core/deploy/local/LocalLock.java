package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.HomeLock;
import io.facsimile.core.deploy.Layout;
import io.facsimile.core.lock.ExclusiveFileLock;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private final Process holder;
    private final ExclusiveFileLock held;

    private LocalLock(Process holder, ExclusiveFileLock held) {
        this.holder = holder;
        this.held = held;
    }

    /**
     * How long the lock program may take to answer beyond the lock's wait, in which it answers by itself,
     * besides a tenth of the wait (its loop of 10 s steps runs a little late, more on a loaded machine): more
     * only when it hangs (a FIFO swapped in for the lock file as it opens it).
     */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(30);

    static DeployLock acquire(Path home, String user, Duration wait, Consumer<String> waiting) {
        return acquire(home, user, wait, ANSWER_MARGIN.plus(wait.dividedBy(10)), waiting);
    }

    static DeployLock acquire(Path home, String user, Duration wait, Duration margin, Consumer<String> waiting) {
        String description = HomeLock.holder(user);
        return FLOCK
                ? flock(home, description, wait, margin, waiting)
                : fileChannel(home.resolve(Layout.LOCK_FILE), description, wait);
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
        // bounded as over SSH: a program that has not answered by the lock's wait and the margin is killed,
        // with its children, which hold its output open (a timeout cancelled once it answers)
        CompletableFuture<Void> answered = new CompletableFuture<>();
        answered.orTimeout(wait.plus(margin).toMillis(), TimeUnit.MILLISECONDS).whenComplete((done, timeout) -> {
            if (timeout != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        try {
            HomeLock.await(
                    p.getInputStream(), () -> "", () -> exitValue(p), home.toString(), "this machine", wait, waiting);
            if (!answered.complete(null)) {
                throw unanswered(home, wait, margin, null);
            }
            return new LocalLock(p, null);
        } catch (IOException e) {
            p.destroy();
            throw answered.complete(null)
                    ? DeployException.io("cannot lock " + home, e)
                    : unanswered(home, wait, margin, e);
        } catch (RuntimeException e) {
            p.destroy();
            throw answered.complete(null) ? e : unanswered(home, wait, margin, e);
        }
    }

    private static DeployException unanswered(Path home, Duration wait, Duration margin, Exception cause) {
        return DeployException.broken(
                "cannot lock " + home + ": the lock program did not answer within "
                        + wait.plus(margin).toSeconds()
                        + " s (the lock's wait and " + margin.toSeconds() + " s more) and was stopped. Is "
                        + home.resolve(Layout.LOCK_FILE) + " a FIFO? Remove it and run again",
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
        // Only for this fallback: on POSIX closing *any* descriptor of a file in this process drops its fcntl
        // lock, so threads of this JVM queue first (ExclusiveFileLock does). flock(2) locks belong to an open
        // file description and need no such queue.
        if (Files.isSymbolicLink(key)
                || Files.exists(key, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS)) {
            throw DeployException.refused(key + " is a link or not a regular file; Facsimile never follows a link"
                    + " it did not create. Remove it and run again");
        }
        try {
            // a first deploy's home, as the flock program's mkdir -p makes it
            Files.createDirectories(key.getParent());
            return new LocalLock(
                    null,
                    ExclusiveFileLock.take(
                            key, ExclusiveFileLock.NO_LINK, wait, description, description, null, holder -> {}));
        } catch (ExclusiveFileLock.Busy e) {
            throw busy(key, e.holder(), wait);
        } catch (ExclusiveFileLock.AlreadyHeld e) {
            throw busy(key, description, wait); // this thread holds it: waiting would wait for itself
        } catch (IOException e) {
            throw DeployException.io("cannot lock " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeployException.broken("interrupted while waiting for the lock " + key, e);
        }
    }

    private static DeployException busy(Path key, String holder, Duration wait) {
        String who = holder == null || holder.isBlank() ? "another deploy" : holder.trim();
        return DeployException.refused("the deploy home " + key.getParent() + " is locked by " + who + "; waited "
                + wait.toSeconds() + " s. Let that deploy finish and run again");
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
        held.close();
    }
}

package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deploy lock of a local home: an OS file lock on {@code .facsimile-deploy.lock}, which holds
 * who took it so that a second deploy can name the holder. The OS drops the lock when the holder's
 * process dies, so a crash never leaves the home locked.
 */
final class LocalLock implements DeployLock {

    private static final long POLL_MILLIS = 100;

    /*
     * The one piece of static mutable state in the deploy code, and deliberately so: an OS file lock
     * belongs to the process, and on POSIX closing *any* descriptor of the lock file in this process
     * drops it. A second thread of the same JVM (mvn -T, two executions) that merely opened and
     * closed the file would silently unlock the first. So threads of this JVM queue here, keyed by
     * the lock file, before they touch it; the value names the holder. The JDK keeps the same kind
     * of process-wide table for FileChannel locks.
     */
    private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private LocalLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    static DeployLock acquire(Path file, String holder, Duration wait) {
        Path key = file.toAbsolutePath().normalize();
        String description = describe(holder);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (HELD_IN_THIS_JVM.putIfAbsent(key, description) != null) {
                String other = HELD_IN_THIS_JVM.get(key);
                if (System.nanoTime() - deadline >= 0) {
                    throw busy(key, other, wait);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while waiting for the lock " + file, e, false);
        }
        try {
            return lockFile(key, description, wait, deadline);
        } catch (RuntimeException e) {
            HELD_IN_THIS_JVM.remove(key, description);
            throw e;
        }
    }

    private static DeployLock lockFile(Path key, String description, Duration wait, long deadline) {
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(description.getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    return new LocalLock(key, channel, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw busy(key, read(channel), wait);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            close(channel);
            throw DeployException.io("cannot lock " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(channel);
            throw new DeployException("interrupted while waiting for the lock " + key, e, false);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static DeployException busy(Path key, String holder, Duration wait) {
        String who = holder == null || holder.isBlank() ? "another deploy" : holder.trim();
        return new DeployException("the deploy home " + key.getParent() + " is locked by " + who + "; waited "
                + wait.toSeconds() + " s. Let that deploy finish and run again");
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static String describe(String holder) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return holder + " (pid " + ProcessHandle.current().pid() + " on " + host + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")\n";
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing releases the lock; nothing more to do.
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            throw DeployException.io("cannot release the deploy lock " + key, e);
        } finally {
            close(channel);
            HELD_IN_THIS_JVM.remove(key);
        }
    }
}

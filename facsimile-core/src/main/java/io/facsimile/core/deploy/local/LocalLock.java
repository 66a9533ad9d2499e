package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The deploy lock of a local home: an OS file lock on {@code .facsimile-deploy.lock}, which holds
 * who took it so that a second deploy can name the holder. The OS drops the lock when the holder's
 * process dies, so a crash never leaves the home locked.
 */
final class LocalLock implements DeployLock {

    private static final long POLL_MILLIS = 100;

    private final FileChannel channel;
    private final FileLock lock;

    private LocalLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DeployLock acquire(Path file, String holder, Duration wait) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(describe(holder).getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    return new LocalLock(channel, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    String current = Files.readString(file, StandardCharsets.UTF_8).trim();
                    throw new DeployException("the deploy home " + file.getParent() + " is locked by "
                            + (current.isEmpty() ? "another deploy" : current) + "; waited " + wait.toSeconds()
                            + " s. Let that deploy finish and run again");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            close(channel);
            throw DeployException.io("cannot lock " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(channel);
            throw new DeployException("interrupted while waiting for the lock " + file, e, false);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Another thread of this JVM holds it: as busy as another process would be.
            return null;
        }
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
            throw DeployException.io("cannot release the deploy lock", e);
        } finally {
            close(channel);
        }
    }
}

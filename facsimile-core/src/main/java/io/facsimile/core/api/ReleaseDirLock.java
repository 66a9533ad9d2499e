package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.lock.ExclusiveFileLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lock of one instance's release dir while a goal renders it: this JVM's queue, then an
 * exclusive OS lock ({@link ExclusiveFileLock}) on {@code <release root>/.<instance>.lock}, so that two builds rendering the
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
    private final ExclusiveFileLock held;

    private ReleaseDirLock(Path file, ExclusiveFileLock held) {
        this.file = file;
        this.held = held;
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
            return new ReleaseDirLock(null, null); // held by this thread already, which lets it go
        }
        try {
            Files.createDirectories(file.getParent());
            ExclusiveFileLock held = ExclusiveFileLock.take(
                    file,
                    ExclusiveFileLock.NO_LINK,
                    wait,
                    "a thread of this build",
                    description(),
                    PROGRESS,
                    holder -> waiting.accept("waiting for the lock " + file.getFileName() + " of "
                            + releaseDir.getFileName() + ", which another build rendering it holds ("
                            + known(holder) + "), at most " + describe(wait)));
            HELD.get().add(file);
            return new ReleaseDirLock(file, held);
        } catch (ExclusiveFileLock.Busy e) {
            throw busy(releaseDir, file, e.inThisJvm() ? "another thread of this build" : known(e.holder()), wait);
        } catch (ExclusiveFileLock.AlreadyHeld e) {
            // this thread holds it already, which HELD answers before: a bug
            throw FacsimileException.broken("the lock " + file + " is held by this very thread", e);
        } catch (IOException e) {
            throw FacsimileException.broken("cannot lock " + file + " to render " + releaseDir.getFileName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FacsimileException.broken("interrupted while waiting for the lock " + file, e);
        }
    }

    private static String known(String holder) {
        return holder == null ? "holder unknown" : holder;
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
                + LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Lets the lock go: the OS lock, then this JVM's. */
    @Override
    public void close() {
        if (file != null) {
            HELD.get().remove(file);
            held.close();
        }
    }
}

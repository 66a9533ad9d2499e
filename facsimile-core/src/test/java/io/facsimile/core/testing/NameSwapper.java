package io.facsimile.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A user who may rename entries in a directory, racing Facsimile: a thread that makes each of its entries in
 * turn under a spare name and renames it over one name ({@code rename(2)}: the name is never missing), again and
 * again until closed. Closing stops and joins it, and fails the test when the thread stopped on an error.
 */
public final class NameSwapper implements AutoCloseable {

    /** Makes one entry at the spare path, which does not exist. */
    @FunctionalInterface
    public interface Entry {
        void makeAt(Path spare) throws IOException;
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final Thread thread;

    private NameSwapper(Path name, Path spare, List<Entry> entries) {
        thread = new Thread(
                () -> {
                    try {
                        while (!stop.get()) {
                            for (Entry entry : entries) {
                                Files.deleteIfExists(spare);
                                entry.makeAt(spare);
                                Files.move(
                                        spare,
                                        name,
                                        StandardCopyOption.ATOMIC_MOVE,
                                        StandardCopyOption.REPLACE_EXISTING);
                            }
                            swaps.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.set(e);
                    }
                },
                "name-swapper");
    }

    /**
     * Starts swapping {@code name} between {@code entries}, each made at {@code spare} first (in the same
     * file system; outside the tree under test when a listing of it must not see the spare name).
     */
    public static NameSwapper start(Path name, Path spare, Entry... entries) {
        NameSwapper swapper = new NameSwapper(name, spare, List.of(entries));
        swapper.thread.start();
        return swapper;
    }

    /** The rounds through every entry so far. */
    public long swaps() {
        return swaps.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
        if (failed.get() != null) {
            throw new AssertionError("the swapping thread stopped on an error", failed.get());
        }
    }
}

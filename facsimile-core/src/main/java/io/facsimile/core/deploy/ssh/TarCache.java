package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.Transport;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The tar streams of one deploy run, each built once in memory and sent to every node that needs the same
 * one: a fleet's first deploy sends one release to every node, and building its tar (reading every file,
 * writing every header) 20 times cost more than sending it. A stream is built by a thread of its own while
 * the nodes send what it has built so far: a single node's upload no longer waits for the whole release to be
 * read before its first byte goes out, and a fleet's nodes all start at once. A stream is kept only when its
 * estimate fits in what {@code limit} leaves of the streams kept so far (one that outgrows its estimate, with
 * names longer than a header holds, counts what it took against the next); one that does not fit is not
 * kept, and each node then writes its own, as it goes.
 */
final class TarCache {

    /** The bytes a tar entry's header and padding add to a file, at most. */
    private static final long ENTRY_OVERHEAD = 1024;

    private static final int CHUNK = 1 << 16;

    private final long limit;
    private final AtomicLong kept = new AtomicLong();
    private final Map<Key, Building> built = new ConcurrentHashMap<>();

    TarCache(long limit) {
        this.limit = limit;
    }

    private record Key(Path tree, List<ManifestEntry> files, Records records) {}

    /**
     * The records a stream carries, equal by content but hashed by their names and sizes alone: each node's
     * lookup would otherwise read a 10,000-file manifest (2 MB) to hash it. The nodes of a run hand over the
     * same arrays, which compare equal at once.
     */
    private record Records(Map<String, byte[]> bytes) {

        Records {
            bytes = new TreeMap<>(bytes);
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Records that) || !bytes.keySet().equals(that.bytes.keySet())) {
                return false;
            }
            for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
                if (!Arrays.equals(e.getValue(), that.bytes.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = 0;
            for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
                hash += e.getKey().hashCode() ^ e.getValue().length;
            }
            return hash;
        }
    }

    /**
     * What writes the tar stream of {@code files} and {@code records}: the same bytes for every node of the run
     * when they fit the limit, built once by a thread of its own that the first node to ask starts; written
     * as it goes otherwise.
     */
    SshTransport.Input input(
            Path tree, List<ManifestEntry> files, Map<String, byte[]> records, Transport.Progress progress) {
        long size = 0;
        for (ManifestEntry e : files) {
            size += e.size() + ENTRY_OVERHEAD;
        }
        for (byte[] r : records.values()) {
            size += r.length + ENTRY_OVERHEAD;
        }
        Key key = new Key(tree, List.copyOf(files), new Records(records));
        Building stream = built.get(key);
        if (stream == null) {
            if (!reserve(size)) {
                return out -> TarStream.write(out, tree, files, records, progress);
            }
            Building mine = new Building(key.files().size());
            stream = built.putIfAbsent(key, mine);
            if (stream != null) {
                kept.addAndGet(-size);
            } else {
                stream = mine;
                mine.start(key, records, size, kept::addAndGet, () -> built.remove(key, mine));
            }
        }
        Building sending = stream;
        return out -> sending.send(out, progress);
    }

    /** Takes {@code bytes} of the limit, or nothing when they do not fit. */
    private boolean reserve(long bytes) {
        long now;
        do {
            now = kept.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!kept.compareAndSet(now, now + bytes));
        return true;
    }

    /**
     * A tar stream as far as it has been built, and, for each of its files built so far, the offset by which
     * that file has been written (a little before its end, at most by the size of {@link TarStream}'s buffer).
     * One thread builds it; any number send it, each as far as it goes, waiting for more.
     */
    private static final class Building {

        private final long[] ends;
        private final long[] sizes;
        private byte[] bytes = new byte[0];
        private int length;
        private int files;
        private boolean done;
        private Throwable failure;

        Building(int fileCount) {
            ends = new long[fileCount];
            sizes = new long[fileCount];
        }

        /**
         * Builds the stream on a daemon thread of its own, in memory of {@code reserved} bytes to begin with
         * (the cache's limit took them): {@code kept} is told of what the stream takes beyond them, and of all
         * it took when the build fails, after {@code failed} has run.
         */
        void start(Key key, Map<String, byte[]> records, long reserved, LongConsumer kept, Runnable failed) {
            bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, reserved)];
            Thread builder = new Thread(
                    () -> {
                        try {
                            TarStream.write(
                                    new OutputStream() {
                                        @Override
                                        public void write(int b) {
                                            append(new byte[] {(byte) b}, 0, 1);
                                        }

                                        @Override
                                        public void write(byte[] b, int off, int len) {
                                            append(b, off, len);
                                        }
                                    },
                                    key.tree(),
                                    key.files(),
                                    records,
                                    this::fileWritten);
                            kept.accept(finish(null) - reserved);
                        } catch (IOException | RuntimeException | Error e) {
                            failed.run();
                            kept.accept(-reserved);
                            finish(e);
                        }
                    },
                    "facsimile-tar");
            builder.setDaemon(true);
            builder.start();
        }

        private synchronized void append(byte[] b, int off, int len) {
            if (length + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + len, bytes.length + bytes.length / 2));
            }
            System.arraycopy(b, off, bytes, length, len);
            length += len;
            notifyAll();
        }

        private synchronized void fileWritten(long size) {
            ends[files] = length;
            sizes[files++] = size;
        }

        /** Ends the build, a failure or not; returns the bytes the stream takes in memory. */
        private synchronized long finish(Throwable e) {
            failure = e;
            done = true;
            notifyAll();
            return bytes.length;
        }

        /**
         * Writes the stream to {@code out} as it is built, in chunks, telling {@code progress} of each file once
         * the chunk that ends it is out; throws what failed the build.
         */
        void send(OutputStream out, Transport.Progress progress) throws IOException {
            int sent = 0;
            int told = 0;
            while (true) {
                byte[] now;
                int available;
                int written;
                boolean finished;
                synchronized (this) {
                    while (sent == length && !done) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("interrupted while the tar stream was built");
                        }
                    }
                    if (failure != null) {
                        rethrow(failure);
                    }
                    // a larger array replaces this one as the stream grows: what is below length stays
                    now = bytes;
                    available = length;
                    written = files;
                    finished = done;
                }
                for (int from = sent; from < available; from += CHUNK) {
                    int end = Math.min(available, from + CHUNK);
                    out.write(now, from, end - from);
                    while (told < written && ends[told] <= end) {
                        progress.sent(sizes[told++]);
                    }
                }
                sent = available;
                if (finished) {
                    while (told < written) {
                        progress.sent(sizes[told++]);
                    }
                    out.flush();
                    return;
                }
            }
        }

        private static void rethrow(Throwable failure) throws IOException {
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) failure;
        }
    }
}

package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.Transport;
import io.facsimile.core.release.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tar streams of one deploy run, each built once in memory and sent to every node that needs the same
 * one: a fleet's first deploy sends one release to every node, and building its tar (reading every file,
 * writing every header) 20 times cost more than sending it. The streams kept hold at most {@code limit}
 * bytes together; one that does not fit is not kept, and each node then writes its own, as it goes.
 */
final class TarCache {

    /** The bytes a tar entry's header and padding add to a file, at most. */
    private static final long ENTRY_OVERHEAD = 1024;

    private static final int CHUNK = 1 << 16;

    private final long limit;
    private final AtomicLong kept = new AtomicLong();
    private final Map<Key, CompletableFuture<Built>> built = new ConcurrentHashMap<>();

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
     * A tar stream and, for each of its files in order, the offset by which that file has been written
     * (a little before its end, at most by the size of {@link TarStream}'s buffer).
     */
    private record Built(byte[] tar, long[] ends, long[] sizes) {}

    /**
     * What writes the tar stream of {@code files} and {@code records}: the same bytes for every node of the run
     * when they fit the limit, built by the first node that asks; written as it goes otherwise.
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
        CompletableFuture<Built> mine = new CompletableFuture<>();
        CompletableFuture<Built> first = built.get(key);
        if (first == null) {
            if (!reserve(size)) {
                return out -> TarStream.write(out, tree, files, records, progress);
            }
            first = built.putIfAbsent(key, mine);
            if (first != null) {
                kept.addAndGet(-size);
            }
        }
        if (first == null) {
            // Built here and now, not when this node's channel is open: the other nodes wait for it.
            first = mine;
            try {
                mine.complete(build(key, records));
            } catch (IOException | RuntimeException e) {
                built.remove(key, mine);
                kept.addAndGet(-size);
                mine.completeExceptionally(e);
            }
        }
        CompletableFuture<Built> stream = first;
        return out -> send(join(stream), out, progress);
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

    private static Built join(CompletableFuture<Built> stream) throws IOException {
        try {
            return stream.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static Built build(Key key, Map<String, byte[]> records) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        long[] ends = new long[key.files().size()];
        long[] sizes = new long[key.files().size()];
        int[] at = {0};
        TarStream.write(tar, key.tree(), key.files(), records, bytes -> {
            ends[at[0]] = tar.size();
            sizes[at[0]++] = bytes;
        });
        return new Built(tar.toByteArray(), ends, sizes);
    }

    /** Writes the built stream in chunks, telling {@code progress} of each file once the chunk that ends it is out. */
    private static void send(Built built, OutputStream out, Transport.Progress progress) throws IOException {
        int file = 0;
        for (int from = 0; from < built.tar().length; from += CHUNK) {
            int length = Math.min(CHUNK, built.tar().length - from);
            out.write(built.tar(), from, length);
            while (file < built.ends().length && built.ends()[file] <= from + length) {
                progress.sent(built.sizes()[file++]);
            }
        }
        while (file < built.ends().length) {
            progress.sent(built.sizes()[file++]);
        }
        out.flush();
    }
}

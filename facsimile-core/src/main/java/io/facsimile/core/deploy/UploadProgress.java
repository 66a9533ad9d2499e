package io.facsimile.core.deploy;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Counts what an upload to one node has sent, into the node's result, and says it at INFO at most
 * once every two seconds: files, bytes and percent of the bytes. Thread-safe (the local transport
 * copies on several threads).
 */
final class UploadProgress implements Transport.Progress {

    /** The shortest time between two progress lines of one node. */
    static final long INTERVAL_NANOS = 2_000_000_000L;

    private final NodeRun run;
    private final int totalFiles;
    private final long totalBytes;
    private final LongSupplier nanos;
    private long lastLine;
    private boolean noted;
    private int files;
    private long bytes;

    UploadProgress(NodeRun run, int totalFiles, long totalBytes, LongSupplier nanos) {
        this.run = run;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.nanos = nanos;
        this.lastLine = nanos.getAsLong();
    }

    @Override
    public synchronized void sent(long size) {
        files++;
        bytes += size;
        run.filesSent++;
        run.bytesSent += size;
        long now = nanos.getAsLong();
        if (now - lastLine >= INTERVAL_NANOS && files < totalFiles) {
            lastLine = now;
            run.info(line());
        }
    }

    @Override
    public synchronized void note(String message) {
        if (!noted) {
            noted = true;
            run.info(message);
        }
    }

    private String line() {
        long percent = totalBytes == 0 ? 100 : bytes * 100 / totalBytes;
        return String.format(
                Locale.ROOT,
                "sent %d of %d files, %s of %s (%d%%)",
                files,
                totalFiles,
                size(bytes),
                size(totalBytes),
                percent);
    }

    private static String size(long bytes) {
        return bytes < 1 << 20
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}

package io.facsimile.core.incremental;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link FileState#list} asked of GNU {@code find} in one process: {@code find} walks 10,000 entries in
 * C in some 45 ms, and a fresh JVM reads its answer in some 60 ms more, where its own walk (an
 * {@code lstat}, a path and an attribute object per entry, before its compilers have caught up) takes
 * 130-230 ms and a third more CPU. The answer is the same listing, entry for entry: the same kinds,
 * sizes, nanosecond times, permissions, link targets and names (decoded as this JVM decodes file
 * names), in the same order.
 *
 * <p>Every doubt means "ask Java": no {@code find}, one that is not GNU (whose {@code -printf} the
 * question needs), one that fails or warns (an entry removed while it walked, a directory it cannot
 * read), that prints anything it was not asked for, a time before 1970 or after 2262, or two names
 * this JVM decodes alike, or that takes longer than
 * {@link #LIMIT}. The caller then lists the directory itself, as it always did, and reports what Java
 * finds wrong.
 */
final class FindWalk {

    /** How long a listing waits for {@code find} at most; then Java lists the directory. */
    static final long LIMIT = TimeUnit.SECONDS.toMillis(10);

    /** Per entry: kind, mode, size and modification time; the link's target; the path below the root. */
    private static final String FORMAT = "%y %m %s %T@\\0%l\\0%P\\0";

    /** The charset of file names in this JVM, which decodes a name's bytes as its paths do. */
    private static final Charset NAMES = names();

    private FindWalk() {}

    private static Charset names() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return null; // never asked: Java lists
        }
    }

    /** The listing of {@code dir}, an existing directory, or empty on any doubt. */
    static Optional<List<FileState>> list(Path dir) {
        // Linux alone: macOS's JDK, for one, gives names in another Unicode form than the bytes find prints
        if (NAMES == null || !System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        Process find = null;
        try {
            // -H: a root that is a link is listed through it, as Java's listing does; nothing below it is followed
            ProcessBuilder builder = new ProcessBuilder(
                    "find", "-H", dir.toAbsolutePath().toString(), "-mindepth", "1", "-printf", FORMAT);
            builder.environment().put("LC_ALL", "C"); // the time's decimal point, whatever the user's locale
            find = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD) // a warning makes its exit status 1
                    .start();
            Process started = find;
            // on the JDK's own timer thread: the common pool's threads may all be waiting for this listing
            CompletableFuture.delayedExecutor(LIMIT, TimeUnit.MILLISECONDS, Runnable::run)
                    .execute(started::destroyForcibly);
            byte[] output;
            try (InputStream out = find.getInputStream()) {
                output = out.readAllBytes();
            }
            if (find.waitFor() != 0) {
                return Optional.empty();
            }
            return parse(output, NAMES);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (find != null && find.isAlive()) {
                find.destroyForcibly();
            }
        }
    }

    /**
     * The entries {@code output} names (three NUL-terminated fields each, as {@link #FORMAT} prints
     * them), in {@link FileState#list}'s order; empty when anything in it is not as asked.
     */
    static Optional<List<FileState>> parse(byte[] output, Charset names) {
        List<Keyed> entries = new ArrayList<>();
        int at = 0;
        while (at < output.length) {
            int headEnd = indexOfNul(output, at);
            int linkEnd = headEnd < 0 ? -1 : indexOfNul(output, headEnd + 1);
            int pathEnd = linkEnd < 0 ? -1 : indexOfNul(output, linkEnd + 1);
            if (pathEnd < 0 || pathEnd == linkEnd + 1) {
                return Optional.empty(); // cut short, or an entry without a name
            }
            String link = linkEnd == headEnd + 1 ? "" : new String(output, headEnd + 1, linkEnd - headEnd - 1, names);
            String path = new String(output, linkEnd + 1, pathEnd - linkEnd - 1, names);
            FileState entry = entry(output, at, headEnd, link, path);
            if (entry == null) {
                return Optional.empty();
            }
            entries.add(new Keyed(path.replace('/', '\0'), entry));
            at = pathEnd + 1;
        }
        // FileState.list's order: a directory before its entries, the entries of each directory by name.
        // A NUL, which no name holds, in place of each '/' makes that the order of the whole paths
        // ("a/b" before "a-c", since "a" sorts before "a-c")
        entries.sort(null);
        List<FileState> sorted = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0 && entries.get(i).key().equals(entries.get(i - 1).key())) {
                return Optional.empty(); // two names this JVM decodes alike: their entries would interleave
            }
            sorted.add(entries.get(i).entry());
        }
        return Optional.of(sorted);
    }

    /** An entry with its sort key. */
    private record Keyed(String key, FileState entry) implements Comparable<Keyed> {
        @Override
        public int compareTo(Keyed other) {
            return key.compareTo(other.key);
        }
    }

    /**
     * The entry of one record whose head, {@code kind mode size seconds.fraction} in ASCII, lies in
     * {@code bytes} from {@code from} to {@code to}; {@code null} when it is not so.
     */
    private static FileState entry(byte[] bytes, int from, int to, String link, String path) {
        if (to - from < 2 || bytes[from + 1] != ' ') {
            return null;
        }
        byte type = bytes[from];
        int at = from + 2;
        long mode = 0;
        int start = at;
        for (; at < to && bytes[at] != ' '; at++) {
            int digit = bytes[at] - '0';
            if (digit < 0 || digit > 7 || at - start > 6) {
                return null;
            }
            mode = mode * 8 + digit;
        }
        if (at == start) {
            return null;
        }
        long size = 0;
        start = ++at;
        for (; at < to && bytes[at] != ' '; at++) {
            int digit = bytes[at] - '0';
            if (digit < 0 || digit > 9 || at - start > 17) {
                return null;
            }
            size = size * 10 + digit;
        }
        long modified = nanos(bytes, at + 1, to);
        if (at == start || modified < 0 || (type == 'l') == link.isEmpty()) {
            return null;
        }
        String kind = type == 'f' ? "f" : type == 'd' ? "d" : type == 'l' ? "l" : "o";
        return new FileState(
                path,
                kind,
                type == 'd' ? 0 : size,
                modified,
                type == 'l' ? "" : FileState.permissions((int) mode & 0777),
                link);
    }

    /**
     * {@code seconds.fraction} in {@code bytes} from {@code from} to {@code to}, in nanoseconds: GNU
     * prints ten digits of fraction, the last a zero. -1 when it is not so, before 1970 or after 2262.
     */
    static long nanos(byte[] bytes, int from, int to) {
        long seconds = 0;
        int at = from;
        for (; at < to && bytes[at] != '.'; at++) {
            int digit = bytes[at] - '0';
            if (digit < 0 || digit > 9 || at - from > 11) {
                return -1;
            }
            seconds = seconds * 10 + digit;
        }
        if (at == from || to - at - 1 < 9 || seconds > Long.MAX_VALUE / 1_000_000_000L - 1) {
            // past 2262 a time in nanoseconds no longer fits (Java's own listing saturates it)
            return -1;
        }
        long fraction = 0;
        for (int i = at + 1; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || (i > at + 9 && digit != 0)) {
                return -1; // not a digit, or finer than a nanosecond: not what this JVM would read
            }
            if (i <= at + 9) {
                fraction = fraction * 10 + digit;
            }
        }
        return seconds * 1_000_000_000L + fraction;
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}

package io.facsimile.core.incremental;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Which release dirs had nothing below them changed since their stamp listed them, asked of GNU
 * {@code find} in one process beside the run: an entry's status-change time ({@code ctime}) is set by
 * the kernel on every write, truncation, {@code chmod}, {@code chown}, rename, link and {@code touch}
 * (which can set the modification time back, never the change time), and a directory's on every entry
 * added, removed or renamed in it. So a release dir none of whose entries (itself included) changed
 * status since the moment before its stamp's listing holds exactly what the listing recorded, and its
 * stamp need not list it again. (git's index keeps {@code ctime} for the same reason, and compares it
 * for equality; here it is compared with a moment, so the clock matters: a clock that reads no later
 * than a stamp's listing when asked was set back, and those dirs are listed; one set back and forward
 * again between two runs hides a change made while it was behind. Only file systems whose kernel keeps
 * the change time as such are trusted, see {@link #TRUSTED}.)
 *
 * <p>{@code find} walks 10,000 entries in C with some 50 ms of CPU, beside the goal's own work, where a
 * fresh JVM spends some 300 ms of CPU listing them. It is asked only
 * whether anything is newer, and prints nothing when nothing is. Every doubt means "changed", and the
 * stamp then lists the release dir itself, as it always did: no stamp or one without the time of its
 * listing, a release dir that is a link or missing, a {@code find} that is not there, is not GNU
 * (whose {@code -printf} and {@code -newerct @seconds.nanoseconds} the question needs), fails, prints
 * anything it was not asked for, or takes longer than {@link #LIMIT}. Before its answer counts, the
 * same {@code find} proves that it compares change times to the nanosecond and strictly: a probe file
 * made for the run, whose change time Java reads, must be found newer than one nanosecond before it
 * and not newer than itself.
 */
public final class ReleaseDirChanges {

    /** How long a run waits for {@code find} at most; then every release dir counts as changed. */
    static final long LIMIT = TimeUnit.SECONDS.toMillis(10);

    /**
     * The file systems whose change times the kernel keeps as the question needs. On vfat, exFAT or
     * sshfs, for one, the change time is the modification time, which {@code touch -d} sets back; a
     * network file system's client may answer from a cache. There every release dir is listed.
     */
    static final Set<String> TRUSTED =
            Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "overlay");

    /** Numbers the files of this check made by one process. */
    private static final AtomicLong FILES = new AtomicLong();

    private static final ReleaseDirChanges NONE =
            new ReleaseDirChanges(CompletableFuture.completedFuture(Answer.NONE), System.nanoTime());

    /**
     * What {@code find} answered: the release dirs it was asked about, by name, each with the listing time
     * of its stamp that the question was about, and those of them it found nothing changed in. On any
     * doubt it was asked about none.
     */
    private record Answer(Map<String, Long> asked, Set<String> unchanged) {

        static final Answer NONE = new Answer(Map.of(), Set.of());
    }

    private final CompletableFuture<Answer> answer;
    /** When the answer stops counting ({@link System#nanoTime()}): {@link #LIMIT} after the question. */
    private final long deadline;
    /** The names {@link #unchangedSince} answered {@code true} for. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    private ReleaseDirChanges(CompletableFuture<Answer> answer, long deadline) {
        this.answer = answer;
        this.deadline = deadline;
    }

    /** No question asked: every release dir counts as changed and is listed by its stamp. */
    public static ReleaseDirChanges none() {
        return NONE;
    }

    /**
     * Starts asking {@code find}, on a thread of its own, which of the release dirs {@code names} below
     * {@code releaseRoot} changed since their stamps listed them; only dirs that are directories (not
     * links) with a stamp that records its listing's time are asked about. Their stamps are read on that
     * thread too.
     */
    public static ReleaseDirChanges start(Path releaseRoot, Collection<String> names) {
        List<String> asked = List.copyOf(names);
        return asked.isEmpty() ? NONE : started(() -> ask(releaseRoot, asked));
    }

    /**
     * As {@link #start}, for every release dir below {@code releaseRoot} that has a stamp beside it:
     * for a goal that asks before it knows which instances it works on.
     */
    public static ReleaseDirChanges startForEveryStamp(Path releaseRoot) {
        return started(() -> ask(releaseRoot, stamped(releaseRoot)));
    }

    private static ReleaseDirChanges started(Supplier<Answer> question) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIMIT);
        try {
            return new ReleaseDirChanges(
                    CompletableFuture.supplyAsync(question, task -> {
                        Thread thread = new Thread(task, "facsimile-find-changes");
                        thread.setDaemon(true);
                        thread.start();
                    }),
                    deadline);
        } catch (RuntimeException | OutOfMemoryError e) {
            return NONE; // no thread to be had: every release dir is listed
        }
    }

    /**
     * The answer for one directory, found by reading the change time of each of its entries (itself
     * included, no link followed) in Java, at once: for a directory of the run's own that {@code find} is
     * not asked about ({@code package}'s sealed copies), where a few hundred entries cost little beside
     * archiving them. No answer (its stamp's listing decides) without a stamp that records its listing's
     * time, on a file system whose change times are not trusted ({@link #TRUSTED}), or on any error.
     */
    public static ReleaseDirChanges walked(Path dir) {
        long listedAt = listedAt(dir);
        Answer answer = Answer.NONE;
        if (listedAt > 0 && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (isTrusted(dir)) {
                    boolean changed;
                    try (Stream<Path> entries = Files.walk(dir)) {
                        changed = entries.anyMatch(entry -> {
                            try {
                                return changeTime(entry) >= listedAt;
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    }
                    String name = dir.getFileName().toString();
                    answer = new Answer(Map.of(name, listedAt), changed ? Set.of() : Set.of(name));
                }
            } catch (IOException | RuntimeException e) {
                answer = Answer.NONE; // removed or unreadable while walked: the listing decides
            }
        }
        return new ReleaseDirChanges(CompletableFuture.completedFuture(answer), System.nanoTime());
    }

    /** The release dirs below {@code releaseRoot} with a stamp beside them; none when it cannot be read. */
    private static List<String> stamped(Path releaseRoot) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stamps = Files.newDirectoryStream(releaseRoot, ".*.stamp")) {
            for (Path stamp : stamps) {
                String name = stamp.getFileName().toString();
                names.add(name.substring(1, name.length() - ".stamp".length()));
            }
        } catch (IOException e) {
            return List.of(); // no release root yet, or unreadable: every release dir is listed
        }
        return names;
    }

    /**
     * Whether nothing in {@code releaseDir} changed since {@code listedAt}, the listing time its stamp
     * records now: {@code false} when it was not asked about with that time (its stamp changed since),
     * or on any doubt.
     */
    public boolean unchangedSince(Path releaseDir, long listedAt) {
        String name = releaseDir.getFileName().toString();
        Answer found = answered(name, listedAt);
        if (found == null || !found.unchanged().contains(name)) {
            return false;
        }
        answered.add(name);
        return true;
    }

    /**
     * Whether {@code find} saw an entry of {@code releaseDir} (itself included) change status since
     * {@code listedAt}, the listing time its stamp records now. A file edited and given back its size and
     * modification time ({@code touch -d}, {@code cp -p}, {@code rsync -a}) has the listing's attributes
     * again, never its change time: a release dir found so is not what the listing recorded, whatever a
     * new listing finds. {@code false} when it was not asked about with that time, or on any doubt.
     */
    public boolean changedSince(Path releaseDir, long listedAt) {
        String name = releaseDir.getFileName().toString();
        Answer found = answered(name, listedAt);
        return found != null && !found.unchanged().contains(name);
    }

    /** The answer, when it came in time and asked about {@code name} with {@code listedAt}; {@code null} otherwise. */
    private Answer answered(String name, long listedAt) {
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            Answer found = answer.get(left, TimeUnit.NANOSECONDS);
            Long asked = found.asked().get(name);
            return asked != null && asked == listedAt ? found : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Whether {@link #unchangedSince} found {@code releaseDir} unchanged: its stamp did not list it again. */
    public boolean foundUnchanged(Path releaseDir) {
        return answered.contains(releaseDir.getFileName().toString());
    }

    private static long listedAt(Path releaseDir) {
        try {
            ReleaseStamp stamp = StampFile.read(ReleaseStamp.fileFor(releaseDir));
            return stamp.listedAt();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * What {@code find} answered of the release dirs of {@code names}; {@link Answer#NONE} on any doubt.
     */
    private static Answer ask(Path releaseRoot, List<String> names) {
        Map<String, Long> asked = new HashMap<>();
        for (String name : names) {
            Path releaseDir = releaseRoot.resolve(name);
            long listedAt = listedAt(releaseDir);
            if (listedAt > 0 && Files.isDirectory(releaseDir, LinkOption.NOFOLLOW_LINKS)) {
                asked.put(name, listedAt);
            }
        }
        if (asked.isEmpty()) {
            return Answer.NONE;
        }
        Path probe = null;
        try {
            if (!isTrusted(releaseRoot)) {
                return Answer.NONE;
            }
            probe = newFile(releaseRoot, ".probe");
            long probed = changeTime(probe);
            // a clock that now reads no later than a stamp's listing was set back since: a change made
            // meanwhile has an older change time than the listing, so that release dir is listed
            asked.values().removeIf(listedAt -> listedAt >= probed);
            if (asked.isEmpty()) {
                return Answer.NONE;
            }
            Optional<byte[]> answer = answer(command(asked, probe.getFileName().toString(), probed), releaseRoot);
            if (answer.isEmpty()) {
                return Answer.NONE;
            }
            Set<String> unchanged = unchanged(asked.keySet(), answer.get());
            return unchanged == null ? Answer.NONE : new Answer(asked, unchanged);
        } catch (IOException | RuntimeException e) {
            return Answer.NONE;
        } finally {
            deleteQuietly(probe);
        }
    }

    /** Whether the kernel keeps change times on the file system of {@code path} as these questions need. */
    static boolean isTrusted(Path path) throws IOException {
        return TRUSTED.contains(Files.getFileStore(path).type());
    }

    /** The change time of {@code file}, nanoseconds since the epoch. */
    static long changeTime(Path file) throws IOException {
        return nanos((FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * What GNU {@code find} printed for {@code command}, run in {@code directory} in the C locale; empty
     * when it failed, warned or took longer than {@link #LIMIT}. Its answer goes to a file there, so
     * that a {@code find} that hangs (a dead network mount) is stopped at the limit.
     */
    static Optional<byte[]> answer(List<String> command, Path directory) {
        Path answer = null;
        Process find = null;
        try {
            answer = newFile(directory, ".answer");
            ProcessBuilder builder = new ProcessBuilder(command);
            // -path compares bytes in the C locale; in a UTF-8 one glibc's fnmatch widens every name
            // first, which took find twice the time. The names are the same bytes either way: Java
            // passes the patterns and wrote the names in the one encoding of this JVM.
            builder.environment().put("LC_ALL", "C");
            find = builder.directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(answer.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!find.waitFor(LIMIT, TimeUnit.MILLISECONDS) || find.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(Files.readAllBytes(answer));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (find != null && find.isAlive()) {
                find.destroyForcibly();
            }
            deleteQuietly(answer);
        }
    }

    /**
     * A new file of this check in the release root, named for this process and moment: never one that
     * was there, and never a link followed ({@code O_EXCL}). Not {@link Files#createTempFile}, whose
     * random name costs a fresh JVM its {@code SecureRandom} (some 10-30 ms) for a directory of the
     * user's own.
     */
    static Path newFile(Path releaseRoot, String suffix) throws IOException {
        Path file = releaseRoot.resolve(".facsimile-ctime-"
                + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + FILES.incrementAndGet() + suffix);
        Files.createFile(file);
        file.toFile().deleteOnExit();
        return file;
    }

    /** Removes a file of this check; one left behind is an empty or small file, made anew next run. */
    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stray probe or answer changes nothing
            }
        }
    }

    /**
     * {@code find -P ./a ./b … ./probe ( ( -path ./a -o -path ./a/* ) -newerct @T_a -printf 'd:a\0' -o …
     * -o -path ./probe -newerct @(P - 1 ns) -printf '\0above\0' -false -o -path ./probe -newerct @P -printf
     * '\0at\0' )}, run in the release root: the name of a release dir once per entry changed in it, and
     * the probe's two answers (a release dir's name is tagged {@code d:}, so that an instance called
     * {@code above} or {@code at} is never taken for one of them). {@code T_a} is one nanosecond before the listing time of {@code a}'s
     * stamp, {@code P} the probe's change time.
     */
    static List<String> command(Map<String, Long> asked, String probe, long probed) {
        List<String> command = new ArrayList<>(List.of("find", "-P"));
        List<String> names = new ArrayList<>(asked.keySet());
        names.sort(null);
        names.forEach(name -> command.add("./" + name));
        command.add("./" + probe);
        command.add("(");
        for (String name : names) {
            String pattern = "./" + escaped(name);
            command.addAll(List.of(
                    "(",
                    "-path",
                    pattern,
                    "-o",
                    "-path",
                    pattern + "/*",
                    ")",
                    "-newerct",
                    "@" + seconds(asked.get(name) - 1),
                    "-printf",
                    "d:" + printed(name) + "\\0",
                    "-o"));
        }
        command.addAll(List.of(
                "-path",
                "./" + probe,
                "-newerct",
                "@" + seconds(probed - 1),
                "-printf",
                "\\0above\\0",
                "-false", // so that the probe is asked the second question too
                "-o",
                "-path",
                "./" + probe,
                "-newerct",
                "@" + seconds(probed),
                "-printf",
                "\\0at\\0",
                ")"));
        return command;
    }

    /**
     * The release dirs of {@code asked} that {@code output} names no entry of, when the probe was found
     * newer than just before its change time and not newer than it; {@code null} otherwise (no answer).
     */
    static Set<String> unchanged(Set<String> asked, byte[] output) {
        Set<String> changed = new HashSet<>();
        boolean above = false;
        boolean at = false;
        for (String answer : new String(output, StandardCharsets.UTF_8).split("\0", -1)) {
            if (answer.equals("above")) {
                above = true;
            } else if (answer.equals("at")) {
                at = true;
            } else if (answer.startsWith("d:") && asked.contains(answer.substring(2))) {
                changed.add(answer.substring(2));
            } else if (!answer.isEmpty()) {
                return null; // not asked for
            }
        }
        if (!above || at) {
            return null;
        }
        Set<String> unchanged = new HashSet<>(asked);
        unchanged.removeAll(changed);
        return unchanged;
    }

    /** {@code find}'s {@code @seconds.nanoseconds} of a time in nanoseconds since the epoch. */
    static String seconds(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        String fraction = Long.toString(Math.floorMod(nanos, 1_000_000_000L));
        return seconds + "." + "0".repeat(9 - fraction.length()) + fraction;
    }

    /** A name matched literally by {@code -path}: its wildcards and backslashes escaped. */
    static String escaped(String name) {
        StringBuilder escaped = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** A name as a {@code -printf} format prints it literally: its backslashes and percent signs doubled. */
    private static String printed(String name) {
        return name.replace("\\", "\\\\").replace("%", "%%");
    }

    private static long nanos(FileTime time) {
        return time.to(TimeUnit.NANOSECONDS);
    }
}

package io.facsimile.core.incremental;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.release.AtomicFiles;
import io.facsimile.core.release.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A render or deploy that left every instance it worked on up to date, found so or rendered, recorded
 * beside the release dirs ({@code .unchanged-run}) with the moment before it read anything, so that the
 * next goal can know the same from one question to GNU {@code find}: whether any entry of the
 * definitions, shared and state directories, of those release dirs or of their stamps changed status
 * ({@code ctime}, see {@link ReleaseDirChanges}) since that moment, or lies on a file system mounted below
 * them whose change times are not to be trusted. While nothing did, and the goal's key (Facsimile's code,
 * the directories as configured and as they really are, the project's coordinates, the operating
 * system, and the values of the environment variables and project properties the instances read), taken before it reads
 * anything, is as recorded, each of those instances is as up to date as it was left then, and neither the
 * definitions nor the release dirs need listing. The answer serves one render or deploy of the goal.
 *
 * <p>A goal that rendered wrote its release dirs and stamps after that moment, so its record takes a later
 * one: a clock tick after its last write. At that moment it reads each stamp it wrote back (each must be a
 * stamp of the inputs it rendered, resolved from what it resolved them from), and asks one {@code find} whether anything changed in the directories
 * or in the release dirs it found up to date since its first moment, or in a release dir it rendered since
 * its stamp listed it; only when nothing did is the later moment recorded, as though the goal had found
 * everything up to date then. A goal that rendered more than {@link #MOST_RENDERED} instances records
 * nothing (the question grows with each).
 *
 * <p>Every doubt means "changed", and the goal checks its instances one by one as before: no record or
 * an unreadable one, another key, a directory that is missing, a release dir that is not a directory
 * or a stamp that is not a file, a start point on a file system not
 * {@linkplain ReleaseDirChanges#isTrusted trusted}, a clock that reads earlier than the record's moment,
 * a {@code find} that fails (as it does after any message), prints what it was not asked for or takes
 * longer than {@link ReleaseDirChanges#LIMIT}, and the probe of {@link ReleaseDirChanges} not found as it
 * must be. A goal that did not find every instance up to date, or changed a state, removes the record;
 * one whose instances read files outside these directories (a stamp that watches files, a state reached
 * through a link below the state directory) writes none.
 */
public final class UnchangedRun {

    private static final int VERSION = 1;

    /** The most instances a goal may render and still record: each adds to the question it asks. */
    public static final int MOST_RENDERED = 32;

    private static final String FILE = ".unchanged-run";

    private static final UnchangedRun NONE = new UnchangedRun(null, 0, null, System.nanoTime());

    /**
     * What a run is keyed by, taken now.
     *
     * @param base a fingerprint of everything but the environment and the properties: Facsimile's code, the
     *     directories as configured and as they really are, the project's coordinates, the operating system
     * @param trees the definitions, shared and state directories, as they really are: every file a
     *     rendering reads lies below one of them unless its stamp watches it
     * @param project the project, of whose environment and properties only the variables and properties the
     *     instances read count (by their names as {@link ProjectContext#input} takes them)
     */
    public record Inputs(String base, List<Path> trees, ProjectContext project) {

        public Inputs {
            trees = List.copyOf(trees);
        }

        /** The key, with the values of {@code names} (set or not). */
        String key(Collection<String> names) {
            return new Fingerprint()
                    .add("base", base)
                    .add("environment", ResolutionKeys.inputs(project, names))
                    .hex();
        }
    }

    /**
     * What identifies {@code trees} beyond their paths: each one's device and inode, and every mount whose
     * mount point lies below one of them ({@code /proc/self/mountinfo}: its id, device, root and mount
     * point). A file system mounted over a tree or below it since the record changes these, where the
     * change times of what it holds would not show it.
     */
    public static List<String> identities(List<Path> trees) throws IOException {
        List<String> identities = new ArrayList<>();
        for (Path tree : trees) {
            identities.add(tree + " " + Files.getAttribute(tree, "unix:dev", LinkOption.NOFOLLOW_LINKS) + " "
                    + Files.getAttribute(tree, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        }
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (Files.isReadable(mountinfo)) {
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    String point = fields[4]
                            .replace("\\040", " ")
                            .replace("\\011", "\t")
                            .replace("\\012", "\n")
                            .replace("\\134", "\\");
                    for (Path tree : trees) {
                        if (Path.of(point).startsWith(tree)) {
                            identities.add(fields[0] + " " + fields[2] + " " + fields[3] + " " + fields[4]);
                        }
                    }
                }
            }
        } else {
            identities.add("no mountinfo");
        }
        return identities;
    }

    /** What the stamp of an instance a run rendered must hold: its inputs and what they were resolved from. */
    private record Stamped(String inputs, ResolutionKey resolution) {}

    /** What a run recorded: its key, its moment, the instances it left up to date, and those it derived. */
    record Recorded(String key, long probed, List<String> instances, List<String> environment, List<String> derived) {}

    /** What the instances of a run were found to be, as they are checked one by one. */
    public static final class Tally {
        private final Set<String> current = ConcurrentHashMap.newKeySet();
        /** The instances rendered, each with the stamp they must read back as. */
        private final Map<String, Stamped> rendered = new ConcurrentHashMap<>();

        private final Set<String> environment = ConcurrentHashMap.newKeySet();
        private final Set<String> states = ConcurrentHashMap.newKeySet();
        private volatile boolean watching;

        /** A stamp read while checking an instance. */
        public void seen(ReleaseStamp stamp) {
            if (stamp.resolution() != null) {
                environment.addAll(stamp.resolution().environment());
                states.add(stamp.resolution().stateName());
            }
            if (!stamp.watched().isEmpty()) {
                watching = true;
            }
        }

        /** The states the stamps seen were resolved with. */
        public Set<String> states() {
            return Set.copyOf(states);
        }

        /** An instance found up to date. */
        public void current(String instance) {
            current.add(instance);
        }

        /**
         * An instance rendered and stamped from inputs of fingerprint {@code inputs} resolved from what
         * {@code resolution} keys: its stamp is read back when the run is recorded, and must hold both.
         */
        public void rendered(String instance, String inputs, ResolutionKey resolution) {
            rendered.put(instance, new Stamped(inputs, resolution));
        }

        private boolean covers(List<String> instances) {
            return instances.stream()
                    .allMatch(instance -> current.contains(instance) || rendered.containsKey(instance));
        }
    }

    private final Path releaseRoot;
    /** The change time of this run's probe: earlier than anything the run read. 0 for none. */
    private final long probed;
    /** The record when nothing changed since it; {@code null} when there was none to check. */
    private final CompletableFuture<Optional<Recorded>> unchanged;

    private final long deadline;
    /** The run's key and directories, taken before it read anything; {@code null} for none. */
    private volatile Inputs inputs;
    /** Whether {@link #covers} answered yes once: the answer is for one render or deploy. */
    private final AtomicBoolean covered = new AtomicBoolean();
    /** The question about each release dir, started when the record did not answer; taken once. */
    private final AtomicReference<ReleaseDirChanges> afterwards = new AtomicReference<>();

    private UnchangedRun(
            Path releaseRoot, long probed, CompletableFuture<Optional<Recorded>> unchanged, long deadline) {
        this.releaseRoot = releaseRoot;
        this.probed = probed;
        this.unchanged = unchanged;
        this.deadline = deadline;
    }

    /** No check and no record: every instance is checked one by one. */
    public static UnchangedRun none() {
        return NONE;
    }

    /**
     * Takes the run's moment (a probe file's change time, before anything is read) and, when the release
     * root holds a record, starts asking on a thread of its own whether nothing changed since it.
     *
     * @param inputs the goal's key and directories, taken at once, or first thing on that thread when a
     *     record is checked (the goal reads nothing before its answer); {@code null} when a directory is
     *     missing
     * @param everyStamp whether to ask about every stamped release dir when the record does not answer
     *     (for a goal that does not know its instances yet, see {@link #releaseDirChanges()})
     */
    public static UnchangedRun check(Path releaseRoot, Supplier<Inputs> inputs, boolean everyStamp) {
        if (!Files.isDirectory(releaseRoot, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        Path probe = null;
        long probed;
        try {
            probe = ReleaseDirChanges.newFile(releaseRoot, ".probe");
            probed = ReleaseDirChanges.changeTime(probe);
        } catch (IOException | RuntimeException e) {
            ReleaseDirChanges.deleteQuietly(probe);
            return NONE;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ReleaseDirChanges.LIMIT);
        Path file = releaseRoot.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            ReleaseDirChanges.deleteQuietly(probe);
            UnchangedRun run = new UnchangedRun(releaseRoot, probed, null, deadline);
            run.inputs = inputs.get(); // before anything is read, as the record's key must be
            return run;
        }
        CompletableFuture<Optional<Recorded>> unchanged = new CompletableFuture<>();
        UnchangedRun run = new UnchangedRun(releaseRoot, probed, unchanged, deadline);
        Path probeFile = probe;
        try {
            // the goal reads nothing before this thread has answered: its key and directories are taken first
            Thread thread = new Thread(
                    () -> {
                        Optional<Recorded> recorded = Optional.empty();
                        try {
                            run.inputs = inputs.get();
                            recorded = ask(releaseRoot, file, probeFile, probed, run.inputs);
                        } finally {
                            ReleaseDirChanges.deleteQuietly(probeFile);
                            if (recorded.isEmpty() && everyStamp && System.nanoTime() < deadline) {
                                // checked one by one: ask about them now (past the deadline the goal asked itself)
                                run.afterwards.set(ReleaseDirChanges.startForEveryStamp(releaseRoot));
                            }
                            unchanged.complete(recorded);
                        }
                    },
                    "facsimile-unchanged-run");
            thread.setDaemon(true);
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            ReleaseDirChanges.deleteQuietly(probe);
            return new UnchangedRun(releaseRoot, probed, null, deadline);
        }
        return run;
    }

    /** Whether a record is being checked: then the release dirs are asked about only when it does not answer. */
    public boolean checksRecord() {
        return unchanged != null;
    }

    /**
     * The question about every stamped release dir that was started when the record did not answer, or
     * {@code null}: taken once.
     */
    public ReleaseDirChanges releaseDirChanges() {
        answer();
        return afterwards.getAndSet(null);
    }

    /**
     * Whether nothing changed since a run that found every one of {@code instances} up to date: yes once
     * at most, for the goal's one render or deploy.
     */
    public boolean covers(List<String> instances) {
        return answer().map(recorded -> recorded.instances().containsAll(instances))
                        .orElse(false)
                && covered.compareAndSet(false, true);
    }

    /** The instances the layer files derive, as that run derived them, when nothing changed since. */
    public Optional<List<String>> derived() {
        return answer().map(Recorded::derived);
    }

    /**
     * Records that this run left every one of {@code instances} up to date, found so or rendered, as
     * {@code tally} saw them, or removes the record when it did not, when one of them reads files outside
     * the directories, or when what it rendered cannot be shown unchanged since.
     *
     * @param derived the instances this run derived from the layer files, or {@code null} when it did not
     * @param again the goal's key and directories taken again now: unless they are those taken at its start,
     *     no record is written
     * @param stateTrusted whether a state the instances were resolved with, by name, lies where {@code find}
     *     walks it, no link leading elsewhere
     */
    public void record(
            List<String> instances,
            Tally tally,
            List<String> derived,
            Supplier<Inputs> again,
            Predicate<String> stateTrusted) {
        if (releaseRoot == null) {
            return;
        }
        answer(); // the check's thread took the inputs first
        Path file = releaseRoot.resolve(FILE);
        boolean answered = unchanged == null || unchanged.isDone(); // else the inputs may be later than the reads
        Inputs now = answered && tally.covers(instances) ? inputs : null;
        long moment = probed;
        if (now != null && !tally.rendered.isEmpty()) {
            moment = unchangedSinceRendering(instances, tally, now);
            if (moment == 0) {
                now = null;
            }
        }
        if (now != null && (tally.watching || !tally.states.stream().allMatch(stateTrusted))) {
            now = null;
        }
        if (now != null && !now.equals(again.get())) {
            now = null; // a link or mount changed while the goal ran: what it read may not be what the key says
        }
        try {
            if (now == null) {
                Files.deleteIfExists(file);
                return;
            }
            List<String> environment = new ArrayList<>(tally.environment);
            environment.sort(null);
            Properties record = new Properties();
            record.setProperty("version", Integer.toString(VERSION));
            record.setProperty("key", now.key(environment));
            record.setProperty("probed", Long.toString(moment));
            StampFile.putList(record, "instances", instances);
            StampFile.putList(record, "environment", environment);
            if (derived != null) {
                StampFile.putList(record, "derived", derived);
            }
            AtomicFiles.writeReadable(file, StampFile.bytes(record));
        } catch (IOException | ReleaseException e) {
            ReleaseDirChanges.deleteQuietly(file); // checked one by one next time
        }
    }

    /**
     * For a run that rendered: a moment a clock tick after its last write, from which on the next run can ask
     * about everything, when each stamp it wrote reads back as a stamp of the inputs it rendered and one
     * {@code find} saw nothing change since this run's moment in the directories and in the release dirs it
     * found up to date (and their stamps), nor in a release dir it rendered since its stamp listed it. 0 on
     * any doubt, or when it rendered more than {@link #MOST_RENDERED} instances.
     */
    private long unchangedSinceRendering(List<String> instances, Tally tally, Inputs now) {
        if (tally.rendered.size() > MOST_RENDERED) {
            return 0;
        }
        long after = afterEveryWrite();
        // a clock set back while the goal ran could give a change made after it read the change time of one before
        Map<String, Long> listedAt = after <= probed ? null : readBack(tally, after);
        if (listedAt == null) {
            return 0;
        }
        Path probe = null;
        try {
            List<String> paths = startPoints(releaseRoot, now, instances, listedAt.keySet());
            if (paths == null) {
                return 0;
            }
            Map<String, Long> since = new TreeMap<>();
            listedAt.forEach((instance, time) ->
                    since.put(releaseRoot.resolve(instance).toAbsolutePath().toString(), time));
            probe = ReleaseDirChanges.newFile(releaseRoot, ".probe");
            long probeTime = ReleaseDirChanges.changeTime(probe);
            Optional<byte[]> answer = ReleaseDirChanges.answer(
                    command(probe.toAbsolutePath().toString(), probeTime, paths, probed, since), releaseRoot);
            return answer.isPresent() && unchanged(answer.get()) ? after : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        } finally {
            ReleaseDirChanges.deleteQuietly(probe);
        }
    }

    /**
     * The change time of a file made once the clock has moved past the moment of the call: later than
     * every change this run made, and no later than any made after it. 0 when the clock does not move
     * within some 20 ms (a file system that keeps whole seconds), or on any error.
     */
    private long afterEveryWrite() {
        try {
            ReleaseStamp.Tick tick = ReleaseStamp.nextTick(this::clockMark);
            return tick.moved() ? tick.time() : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The change time of a new file in the release root: the file system's clock now. */
    private long clockMark() throws IOException {
        Path mark = ReleaseDirChanges.newFile(releaseRoot, ".probe");
        try {
            return ReleaseDirChanges.changeTime(mark);
        } finally {
            ReleaseDirChanges.deleteQuietly(mark);
        }
    }

    /**
     * The listing time of the stamp of each instance {@code tally} rendered, read back after the moment
     * {@code after}: each must be a stamp of the inputs rendered, under the key of what they were resolved
     * from, listed before that moment, beside a
     * release dir that is a directory. {@code null} on any doubt.
     */
    private Map<String, Long> readBack(Tally tally, long after) {
        Map<String, Long> listedAt = new TreeMap<>();
        for (Map.Entry<String, Stamped> rendered : tally.rendered.entrySet()) {
            ReleaseStamp stamp = ReleaseStamp.readBack(releaseRoot.resolve(rendered.getKey()));
            if (stamp == null
                    || !rendered.getValue().inputs().equals(stamp.inputs())
                    || stamp.resolution() == null
                    || !stamp.resolution().equals(rendered.getValue().resolution())
                    || stamp.listedAt() <= 0
                    || stamp.listedAt() >= after) {
                return null;
            }
            tally.seen(stamp);
            listedAt.put(rendered.getKey(), stamp.listedAt());
        }
        return listedAt;
    }

    private Optional<Recorded> answer() {
        if (unchanged == null) {
            return Optional.empty();
        }
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            return unchanged.get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** The record, when nothing changed since it; empty on any doubt. */
    private static Optional<Recorded> ask(Path releaseRoot, Path file, Path probe, long probed, Inputs now) {
        try {
            Recorded recorded = read(file);
            if (recorded == null || recorded.probed() > probed) {
                return Optional.empty(); // the clock was set back since, or the record is not of a run
            }
            if (now == null || !recorded.key().equals(now.key(recorded.environment()))) {
                return Optional.empty();
            }
            List<String> paths = startPoints(releaseRoot, now, recorded.instances(), Set.of());
            if (paths == null) {
                return Optional.empty();
            }
            Optional<byte[]> answer = ReleaseDirChanges.answer(
                    command(probe.toAbsolutePath().toString(), probed, paths, recorded.probed(), Map.of()),
                    releaseRoot);
            return answer.isPresent() && unchanged(answer.get()) ? Optional.of(recorded) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Where {@code find} starts: the directories, and the release dir and stamp of each of {@code instances}
     * (no stamp for those of {@code stampsLeftOut}); {@code null} when one is not on a trusted file system,
     * a release dir is not a directory or a stamp not a file.
     */
    private static List<String> startPoints(
            Path releaseRoot, Inputs now, List<String> instances, Set<String> stampsLeftOut) throws IOException {
        List<String> paths = new ArrayList<>();
        for (Path tree : now.trees()) {
            if (!ReleaseDirChanges.isTrusted(tree)) {
                return null;
            }
            paths.add(tree.toString());
        }
        for (String instance : instances) {
            Path releaseDir = releaseRoot.resolve(instance);
            Path stamp = ReleaseStamp.fileFor(releaseDir);
            if (!Files.isDirectory(releaseDir, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(stamp, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            paths.add(releaseDir.toAbsolutePath().toString());
            if (!stampsLeftOut.contains(instance)) {
                paths.add(stamp.toAbsolutePath().toString());
            }
        }
        return ReleaseDirChanges.isTrusted(releaseRoot) ? paths : null;
    }

    /**
     * {@code find -P probe paths… ( -path probe ( -newerct @(P - 1 ns) -printf '\0above\0' -false -o
     * -newerct @P -printf '\0at\0' -false , -true ) -o ! ( -fstype ext4 -o … ) -printf '\0untrusted\0'
     * -quit -o ( -path D -o -path D/* ) ( -newerct @(T_D - 1 ns) -printf '\0changed\0' -quit -o -true ) -o
     * … -o -newerct @(R - 1 ns) -printf '\0changed\0' -quit )}, {@code P} the probe's change time: the
     * probe's two answers ({@code above}: its change time is at least {@code P}; {@code at}: it is later
     * than {@code P}, which must not be), then whether any entry lies on a file system not trusted or
     * changed status at or after its moment, stopping at the first: {@code T_D} for what lies at or below a
     * path {@code D} of {@code own}, {@code R} for everything else.
     *
     * @param since {@code R}
     * @param own paths, as they are walked, each with a moment of its own for what lies at or below it
     */
    static List<String> command(String probe, long probed, List<String> paths, long since, Map<String, Long> own) {
        List<String> command = new ArrayList<>(List.of("find", "-P", probe));
        command.addAll(paths);
        command.addAll(List.of(
                "(",
                "-path",
                ReleaseDirChanges.escaped(probe),
                "(",
                "-newerct",
                "@" + ReleaseDirChanges.seconds(probed - 1),
                "-printf",
                "\\0above\\0",
                "-false",
                "-o",
                "-newerct",
                "@" + ReleaseDirChanges.seconds(probed),
                "-printf",
                "\\0at\\0",
                "-false",
                ",",
                "-true",
                ")",
                "-o"));
        // a file system mounted below a start point whose change times are not to be trusted (see
        // ReleaseDirChanges#isTrusted) is a doubt too
        command.addAll(List.of("!", "("));
        List<String> trusted = new ArrayList<>(ReleaseDirChanges.TRUSTED);
        trusted.sort(null);
        for (int t = 0; t < trusted.size(); t++) {
            if (t > 0) {
                command.add("-o");
            }
            command.addAll(List.of("-fstype", trusted.get(t)));
        }
        command.addAll(List.of(")", "-printf", "\\0untrusted\\0", "-quit", "-o"));
        own.forEach((path, moment) -> {
            String pattern = ReleaseDirChanges.escaped(path);
            command.addAll(List.of("(", "-path", pattern, "-o", "-path", pattern + "/*", ")"));
            command.addAll(changedSince(moment));
            command.add("-o");
        });
        command.addAll(List.of(
                "-newerct", "@" + ReleaseDirChanges.seconds(since - 1), "-printf", "\\0changed\\0", "-quit", ")"));
        return command;
    }

    /** {@code ( -newerct @(T - 1 ns) -printf '\0changed\0' -quit -o -true )}: true, unless it stops {@code find}. */
    private static List<String> changedSince(long time) {
        return List.of(
                "(",
                "-newerct",
                "@" + ReleaseDirChanges.seconds(time - 1),
                "-printf",
                "\\0changed\\0",
                "-quit",
                "-o",
                "-true",
                ")");
    }

    /** Whether {@code find} found the probe as it must be and nothing else. */
    static boolean unchanged(byte[] output) {
        return new String(output, StandardCharsets.UTF_8).equals("\0above\0");
    }

    private static Recorded read(Path file) {
        try {
            Properties record = StampFile.load(file);
            if (!Integer.toString(VERSION).equals(record.getProperty("version")) || record.getProperty("key") == null) {
                return null;
            }
            return new Recorded(
                    record.getProperty("key"),
                    Long.parseLong(record.getProperty("probed")),
                    List.copyOf(StampFile.list(record, "instances")),
                    List.copyOf(StampFile.list(record, "environment")),
                    record.getProperty("derived.count") == null
                            ? null
                            : List.copyOf(StampFile.list(record, "derived")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

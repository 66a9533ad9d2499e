package io.facsimile.core.incremental;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a release dir was rendered from and what it held afterwards, kept beside it as
 * {@code .<name>.stamp}, so that a run whose inputs are all unchanged can skip the instance
 * without planning, rendering, comparing or hashing a single file.
 *
 * <p>The stamp holds a {@link Fingerprint} of every input that is not a file (the resolved
 * definition, modules, state, project, the code of Facsimile itself) together with the listing of
 * the definitions directory; the {@link FileState} of input files outside it (copy sources); and
 * the state of every file and directory of the release dir after rendering. A release dir is
 * current when all three match; any file touched in it, added to it or removed from it makes the
 * next run render again, which restores it. It also holds the {@link ResolutionKey} of what the
 * inputs were resolved from, which a run can compare before resolving the instance at all.
 *
 * <p>Modification times have the resolution of the kernel's clock tick, so a file changed in the
 * same tick as it was recorded could keep its time. As git does with its index, a stamp whose
 * recorded files are not strictly older than the stamp itself is not trusted; and {@link #record}
 * keeps only a listing taken in a later tick than the newest time it holds, waiting for the next
 * tick when the last files were written in the current one.
 *
 * @param version the stamp format
 * @param inputs the fingerprint of the inputs
 * @param resolution what the inputs were resolved from, {@code null} for a copy rendered from inputs
 *     already resolved (the sealed copy)
 * @param newestInput the newest modification time among the input files, nanoseconds
 * @param racyInputs the content digest of each input file whose time was too recent, when it was
 *     listed, to tell a rewrite in the same clock tick apart, by absolute path; checked by content
 * @param watched the input files outside the definitions directory, with absolute paths
 * @param outputs the {@link TreeDigest} of the release dir after rendering (a listing of thousands of
 *     files would cost more to read back than to make again)
 * @param newestOutput the newest modification time in the release dir, nanoseconds
 * @param listedAt the file system's clock just before the release dir was listed for {@code outputs},
 *     nanoseconds: whatever changes in it afterwards gets a change time ({@code ctime}) no older, which
 *     {@link ReleaseDirChanges} asks about instead of listing it again; 0 for unknown
 * @param copiesApart the fingerprint of the inputs {@link RenderInputs#apart} from the contents of the
 *     rendering's copy sources, or {@code null} when it was not kept
 */
public record ReleaseStamp(
        int version,
        String inputs,
        ResolutionKey resolution,
        long newestInput,
        Map<String, String> racyInputs,
        List<FileState> watched,
        String outputs,
        long newestOutput,
        long listedAt,
        String copiesApart) {

    private static final int VERSION = 9;

    /** This stamp (of the current version, as only such a stamp is kept) with other inputs checked by content. */
    private ReleaseStamp withRacyInputs(Map<String, String> racy) {
        return new ReleaseStamp(
                VERSION, inputs, resolution, newestInput, racy, watched, outputs, newestOutput, listedAt, copiesApart);
    }

    /** This stamp (of the current version) under another resolution key. */
    private ReleaseStamp withResolution(ResolutionKey key) {
        return new ReleaseStamp(
                VERSION, inputs, key, newestInput, racyInputs, watched, outputs, newestOutput, listedAt, copiesApart);
    }

    /**
     * How recent, before a listing, an input's time may be for its content to be taken too: a file
     * rewritten in the same clock tick after it was listed keeps its size and time (a tick is at most
     * 10 ms; the rest allows for a file system whose clock is a little ahead).
     */
    private static final long RACY = TimeUnit.SECONDS.toNanos(2);

    public ReleaseStamp {
        racyInputs = racyInputs == null ? Map.of() : Map.copyOf(racyInputs);
        watched = List.copyOf(watched);
    }

    /** Where the stamp of a release dir is kept: {@code .<name>.stamp} next to it, so never in a bundle or a deploy. */
    public static Path fileFor(Path releaseDir) {
        return releaseDir.resolveSibling("." + releaseDir.getFileName() + ".stamp");
    }

    /**
     * Whether {@code releaseDir} holds what rendering these inputs gave the last time, untouched
     * since. Any doubt (no stamp, an unreadable one, another format, a racy time) says no.
     */
    public static boolean isCurrent(Path releaseDir, String inputs) {
        return isCurrent(releaseDir, stamp -> inputs.equals(stamp.inputs()), ReleaseDirChanges.none());
    }

    /**
     * As {@link #isCurrent(Path, String)}, for a stamp whose inputs {@code unchanged} accepts:
     * compared by what they were resolved from, for one. The release dir is listed again unless
     * {@code changes} knows that nothing in it changed since the stamp's listing. Inputs the stamp
     * checks by content are dropped from it once they are old enough (see {@link #settle}).
     */
    public static boolean isCurrent(Path releaseDir, Predicate<ReleaseStamp> unchanged, ReleaseDirChanges changes) {
        return isCurrent(releaseDir, unchanged, changes, path -> true);
    }

    /**
     * As {@link #isCurrent(Path, Predicate, ReleaseDirChanges)}, checking by content only the inputs
     * {@code checked} selects of those the stamp holds so: the caller answers for the others itself.
     */
    static boolean isCurrent(
            Path releaseDir, Predicate<ReleaseStamp> unchanged, ReleaseDirChanges changes, Predicate<Path> checked) {
        Path file = fileFor(releaseDir);
        Stamped stamped = Stamped.read(file);
        if (stamped == null
                || !unchanged.test(stamped.stamp())
                || stamped.stamp().newestInput() >= stamped.time()) {
            return false;
        }
        ReleaseStamp stamp = stamped.stamp();
        if (!stamped.watchedUnchanged() || !stamped.unchangedByContent(checked)) {
            return false;
        }
        // a change find saw is one, even when a new listing finds the sizes and times recorded (an edit whose
        // file was given back its time); without find's answer the listing decides
        if (stamp.newestOutput() >= stamped.time()
                || changes.changedSince(releaseDir, stamp.listedAt())
                || !(changes.unchangedSince(releaseDir, stamp.listedAt())
                        || TreeDigest.of(releaseDir).hex().equals(stamp.outputs()))) {
            return false;
        }
        settle(file, stamp);
        return true;
    }

    /**
     * Whether the stamp of {@code releaseDir} is of a rendering whose inputs {@code unchanged} accepts,
     * whatever else changed since: its files watched outside the definitions directory, and its inputs
     * checked by content that {@code checked} selects, are as they were. The release dir itself is not
     * looked at.
     */
    public static boolean wasRenderedFrom(Path releaseDir, Predicate<ReleaseStamp> unchanged, Predicate<Path> checked) {
        Stamped stamped = Stamped.read(fileFor(releaseDir));
        return stamped != null
                && unchanged.test(stamped.stamp())
                && stamped.watchedUnchanged()
                && stamped.unchangedByContent(checked);
    }

    /**
     * The stamp of {@code releaseDir} as it reads now, when it is a file of the current version (not a
     * link) beside a release dir that is a directory (not a link); {@code null} otherwise.
     */
    public static ReleaseStamp readBack(Path releaseDir) {
        Path file = fileFor(releaseDir);
        if (!Files.isDirectory(releaseDir, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Stamped stamped = Stamped.read(file);
        return stamped == null ? null : stamped.stamp();
    }

    /** A stamp of the current version as read, with its file's time. */
    private record Stamped(ReleaseStamp stamp, long time) {

        /** The stamp in {@code file}, or {@code null} for none, an unreadable one or another version. */
        static Stamped read(Path file) {
            try {
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                long time = Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
                ReleaseStamp stamp = StampFile.read(file);
                return stamp.version() == VERSION ? new Stamped(stamp, time) : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        boolean watchedUnchanged() {
            for (FileState watched : stamp.watched()) {
                if (watched.modified() >= time
                        || !FileState.of(Path.of(watched.path())).equals(watched)) {
                    return false;
                }
            }
            return true;
        }

        boolean unchangedByContent(Predicate<Path> checked) {
            for (Map.Entry<String, String> racy : stamp.racyInputs().entrySet()) {
                Path input = Path.of(racy.getKey());
                if (checked.test(input) && !Fingerprint.content(input).equals(racy.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Drops from a stamp just found current the inputs checked by content whose time is now old
     * enough that any rewrite would change it, as git refreshes the racily clean entries of its
     * index: a build started right after a checkout does not leave every later run reading them.
     */
    private static void settle(Path file, ReleaseStamp stamp) {
        if (stamp.racyInputs().isEmpty()) {
            return;
        }
        long racyFrom = racyFrom();
        Map<String, String> still = new HashMap<>();
        stamp.racyInputs().forEach((path, content) -> {
            if (FileState.of(Path.of(path)).modified() >= racyFrom) {
                still.put(path, content);
            }
        });
        if (still.size() < stamp.racyInputs().size()) {
            try {
                write(file, stamp.withRacyInputs(still));
            } catch (IOException e) {
                // kept as it was: checked by content again next time
            } finally {
                deleteQuietly(temporaryFor(file));
            }
        }
    }

    /** Forgets the stamp of a release dir; done before writing into it, so an interrupted run leaves none. */
    public static void invalidate(Path releaseDir) {
        try {
            Files.deleteIfExists(fileFor(releaseDir));
        } catch (IOException e) {
            throw IncrementalException.broken("cannot remove " + fileFor(releaseDir), e);
        }
    }

    /**
     * Records the release dir as it is now as the rendering of {@code inputs}.
     *
     * <p>Before listing it, the file system's clock is read from an empty temporary file, made again
     * until its time is past the moment of the call (a few milliseconds, one clock tick): a file changed
     * after the listing gets at least that time, and every change before the call an older one. The
     * listing is only kept when every time it holds is strictly older, so that a change made in the same
     * clock tick as the one recorded cannot go unseen; otherwise the next tick is waited for and the
     * release dir listed again. The time is kept as the stamp's {@code listedAt}.
     *
     * @param resolution what {@code inputs} were resolved from, or {@code null}
     * @param newestInput the newest modification time among the input files, nanoseconds
     * @param racyInputs see {@link ReleaseStamp}
     * @param watched input files outside the definitions directory, and their directories
     * @param readFrom when the rendering began to read (nanoseconds since the epoch): a watched path whose
     *     status changed since may have changed after the rendering read it, and is recorded as
     *     {@link FileState#changedWhileRead}, which the next rendering never finds unchanged
     * @param copiesApart see {@link ReleaseStamp}, or {@code null}
     * @return the regular files of the release dir as the kept listing found them, by path relative to it;
     *     empty when none was kept
     */
    public static Map<String, FileState> record(
            Path releaseDir,
            String inputs,
            ResolutionKey resolution,
            long newestInput,
            Map<String, String> racyInputs,
            Collection<Path> watched,
            long readFrom,
            String copiesApart) {
        Path file = fileFor(releaseDir);
        Path temporary = temporaryFor(file);
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                long listedAt = nextTick(temporary);
                Map<String, FileState> files = new ConcurrentHashMap<>();
                TreeDigest outputs = TreeDigest.of(releaseDir, files::put);
                List<FileState> states = watched.stream()
                        .map(p -> FileState.ofWhatWasRead(p.toAbsolutePath(), readFrom))
                        .distinct()
                        .toList();
                if (Math.max(outputs.newest(), FileState.newest(states)) < listedAt) {
                    write(
                            file,
                            new ReleaseStamp(
                                    VERSION,
                                    inputs,
                                    resolution,
                                    newestInput,
                                    racyInputs,
                                    states,
                                    outputs.hex(),
                                    outputs.newest(),
                                    listedAt,
                                    copiesApart));
                    return files;
                }
                Thread.sleep(2);
            }
        } catch (IOException e) {
            throw IncrementalException.broken("cannot write " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(temporary);
        }
        return Map.of();
    }

    /**
     * The file system's clock once it has moved past the moment of the call, read from the time of
     * {@code temporary} made anew: every change made before the call has a change time ({@code ctime})
     * older than this, so that {@link ReleaseDirChanges} does not take the last files a rendering wrote,
     * in the same clock tick as the stamp's listing, for changes after it. A clock that does not move
     * within 20 ms (a file system that keeps seconds) gives the time of the call.
     */
    private static long nextTick(Path temporary) throws IOException, InterruptedException {
        return nextTick(() -> clockMark(temporary)).time();
    }

    /** Reads the file system's clock from a file it makes anew. */
    @FunctionalInterface
    interface ClockMark {
        long read() throws IOException;
    }

    /**
     * A reading of the clock: the first one past the moment of the call ({@code moved}), or, when the
     * clock did not move within 20 ms (a file system that keeps seconds), the time of the call.
     */
    record Tick(long time, boolean moved) {}

    /** Reads {@code mark} until the clock has moved past the moment of the call, for 20 ms at most. */
    static Tick nextTick(ClockMark mark) throws IOException, InterruptedException {
        long now = mark.read();
        for (int waited = 0; waited < 20; waited++) {
            long next = mark.read();
            if (next > now) {
                return new Tick(next, true);
            }
            Thread.sleep(1);
        }
        return new Tick(now, false);
    }

    /** The time of {@code temporary}, made anew: the file system's clock now. */
    static long clockMark(Path temporary) throws IOException {
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        return Files.getLastModifiedTime(temporary).to(TimeUnit.NANOSECONDS);
    }

    /**
     * Gives the stamp of a release dir that {@link #isCurrent(Path, String)} just found current by
     * {@code inputs} the key of what they were resolved from this time, if that changed without
     * changing them (an environment variable set to {@code ""} where it was unset takes the same
     * fallback; an instance sharing the state added to it), so that the next run need not resolve the
     * instance to find it current. What the stamp recorded of the release dir is kept as it is. Does
     * nothing when the stamp cannot be read: the next run then renders the long way.
     */
    public static void rekey(Path releaseDir, String inputs, ResolutionKey resolution) {
        Path file = fileFor(releaseDir);
        ReleaseStamp stamp;
        try {
            stamp = StampFile.read(file);
        } catch (IOException | RuntimeException e) {
            return;
        }
        // another run may have rendered it since: only the stamp of these inputs takes their key
        if (stamp.version() == VERSION && inputs.equals(stamp.inputs()) && !resolution.equals(stamp.resolution())) {
            try {
                write(file, stamp.withResolution(resolution));
            } catch (IOException e) {
                throw IncrementalException.broken("cannot write " + file, e);
            } finally {
                deleteQuietly(temporaryFor(file));
            }
        }
    }

    /**
     * The earliest modification time, nanoseconds, that a file listed now may have for its content to
     * be checked too: not {@link #RACY} older than the clock.
     */
    static long racyFrom() {
        return racyFrom(now());
    }

    /** {@link #racyFrom()} for a clock read at {@code now} (nanoseconds since the epoch). */
    static long racyFrom(long now) {
        return now - RACY;
    }

    /** The clock now, nanoseconds since the epoch. */
    static long now() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    private static Path temporaryFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /**
     * Replaces the stamp file through a new temporary file: on ext4, rewriting a file truncated to
     * nothing (the clock mark) would have its data pushed to disk when it is closed.
     */
    private static void write(Path file, ReleaseStamp stamp) throws IOException {
        Path temporary = temporaryFor(file);
        Files.deleteIfExists(temporary);
        Files.write(temporary, StampFile.write(stamp));
        move(temporary, file);
    }

    private static void move(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // a stray temporary file is overwritten next time
        }
    }
}

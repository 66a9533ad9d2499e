package io.facsimile.core.deploy;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the deploy engine needs of one node: a few file operations below the node's deploy home, a
 * way to run a command, and a lock. The engine decides; a transport only carries out. Everything is
 * shaped so that SSH (exec + SFTP) can implement it as easily as {@code java.nio} does.
 *
 * <p>Every {@code path} is relative to the node's home, uses {@code /} separators, and never starts
 * with {@code /} or contains {@code ..}; implementations reject paths that would leave the home.
 * Operations throw {@link DeployException} (not a user error) when the node fails.
 */
public interface Transport extends AutoCloseable {

    /** The node this transport talks to. */
    Node node();

    /** A human description of the home on the node, e.g. {@code /srv/shop} or {@code shop@db1:/srv/shop}. */
    String describeHome();

    /** {@code true} when something (file, directory or link) exists at {@code path}; links are not followed. */
    boolean exists(String path);

    /** The names of the entries of a directory, sorted; empty when the directory does not exist. */
    List<String> list(String dir);

    /**
     * Whether {@code .facsimile} holds the token of a switch that no deploy confirmed ({@code
     * guard-<token>.armed}, see {@link GuardScripts}): a deploy that ended during its postcmd or health check
     * left it, and its watchdog has not switched back yet. Its release must not be taken for current.
     */
    default boolean hasUnconfirmedSwitch() {
        return list(Layout.META_DIR).stream().anyMatch(GuardScripts::isToken);
    }

    /**
     * Every regular file below {@code dir} (links not followed) with size, mode and SHA-256, paths
     * relative to {@code dir}; an empty manifest when {@code dir} does not exist. Paths for which
     * {@code include} is {@code false} are skipped without being read, and so are directories for
     * which it is {@code false} given the directory's path followed by {@code /}.
     */
    Manifest scan(String dir, Predicate<String> include);

    /**
     * Every entry below {@code dir} with its {@link FileStat}, paths relative to {@code dir}; links are
     * listed, never followed or entered. Empty when {@code dir} is not a directory.
     */
    Map<String, FileStat> stat(String dir);

    /**
     * {@link #stat}, unless the node finds release dir {@code dir} of release {@code id} listed exactly as
     * the {@link Layout#LISTING_DIGEST} beside its quick-check record says (both plain files): then empty,
     * and no listing travels. A transport whose node cannot tell lists.
     */
    default Optional<Map<String, FileStat>> statUnlessAsStaged(String dir, String id) {
        return Optional.of(stat(dir));
    }

    /**
     * The {@link Layout#LISTING_DIGEST} of release {@code id} listed as {@code listing} (made by this
     * transport), as the node computes it; empty when the node computes none.
     */
    default Optional<String> listingDigest(String id, Map<String, FileStat> listing) {
        return Optional.empty();
    }

    /** Creates a directory and its parents; nothing when it exists. */
    void makeDirs(String dir);

    /**
     * Writes a file from a stream and gives it {@code mode} (four octal digits), atomically: the
     * content goes to a temporary file beside it which is then renamed over {@code path}. Parent
     * directories are created.
     */
    void upload(String path, InputStream content, long size, String mode);

    /**
     * Writes many files of a local tree below {@code dir}, a directory this deploy has just created empty or
     * an old release it recycled after checking that it holds only regular files and directories, none at
     * the paths written (so nothing below it can be a link it did not create): each file with its manifest mode and the
     * modification time of its local copy. A transport sends them in bulk where it can (SSH: one tar
     * stream unpacked by the node's own tar); the default writes them one by one with {@link #upload}.
     *
     * @param tree the local tree the paths are relative to
     * @param progress told of each file written and, once, of how the files travel
     * @throws DeployException when a file cannot be read or written; {@code dir} is then left to be removed
     */
    default void uploadAll(String dir, Path tree, List<ManifestEntry> files, Progress progress) {
        for (ManifestEntry e : files) {
            Path local = tree.resolve(e.path());
            try (InputStream in = Files.newInputStream(local, LinkOption.NOFOLLOW_LINKS)) {
                upload(Layout.join(dir, e.path()), in, e.size(), e.mode());
            } catch (IOException x) {
                throw DeployException.io("cannot read " + local, x);
            }
            progress.sent(e.size());
        }
    }

    /**
     * The SHA-256 (hex) of each of {@code paths} below {@code dir} as the node reads it now; a path that
     * is not a regular file is left out. The default scans {@code dir} reading only those paths.
     */
    default Map<String, String> sha256(String dir, Collection<String> paths) {
        Set<String> wanted = new HashSet<>(paths);
        Set<String> parents = new HashSet<>();
        for (String p : paths) {
            for (String d = Layout.parent(p); !d.isEmpty(); d = Layout.parent(d)) {
                parents.add(d + "/");
            }
        }
        Map<String, String> sums = new HashMap<>();
        for (ManifestEntry e : scan(dir, p -> p.endsWith("/") ? parents.contains(p) : wanted.contains(p))
                .files()) {
            sums.put(e.path(), e.sha256());
        }
        return sums;
    }

    /**
     * The listing of {@code dir} ({@link #stat}) and the SHA-256 of {@code paths} below it ({@link #sha256}),
     * as one step: a transport that runs commands reads both with one. Empty when {@code dir} is not a
     * directory.
     */
    default Listing listAndHash(String dir, Collection<String> paths) {
        Map<String, FileStat> stats = stat(dir);
        return new Listing(stats, stats.isEmpty() ? Map.of() : sha256(dir, paths));
    }

    /**
     * Stages a release in {@code dir}, a directory this deploy has just created empty: writes {@code files}
     * of {@code tree} as {@link #uploadAll} does and each of {@code records} (path below {@code dir} →
     * content, mode 0644: the release's manifest), then lists {@code dir} and hashes the files of
     * {@code files} as {@link #listAndHash} does. A transport that runs commands does it with one; the
     * default makes the three calls.
     */
    default Listing uploadListAndHash(
            String dir, Path tree, List<ManifestEntry> files, Map<String, byte[]> records, Progress progress) {
        uploadAll(dir, tree, files, records, progress);
        return listAndHash(dir, files.stream().map(ManifestEntry::path).toList());
    }

    /**
     * Stages a release in {@code dir}, an old release recycled as the staging directory (checked to hold
     * only regular files and directories): removes {@code remove} below it as {@link #removeAll} does, then
     * writes {@code files} and {@code records} and lists and hashes as {@link #uploadListAndHash} does,
     * hashing only {@code files}. A transport that runs commands does it with one; the default makes the
     * three calls.
     */
    default Listing replaceListAndHash(
            String dir,
            Collection<String> remove,
            Path tree,
            List<ManifestEntry> files,
            Map<String, byte[]> records,
            Progress progress) {
        removeAll(dir, remove);
        return uploadListAndHash(dir, tree, files, records, progress);
    }

    /**
     * Writes {@code files} as {@link #uploadAll(String, Path, List, Progress)} does and each of {@code records}
     * (path below {@code dir} → content, mode 0644); SSH sends them in the same tar stream.
     */
    default void uploadAll(
            String dir, Path tree, List<ManifestEntry> files, Map<String, byte[]> records, Progress progress) {
        uploadAll(dir, tree, files, progress);
        records.forEach((path, content) -> writeFile(Layout.join(dir, path), content));
    }

    /**
     * Copies {@code paths} from {@code fromDir} to {@code toDir} as {@link #copyAll} does, then lists
     * {@code toDir} and hashes {@code hashed} below it as {@link #listAndHash} does. A transport that runs
     * commands does both with one; the default makes the two calls.
     */
    default Listing copyListAndHash(String fromDir, String toDir, List<String> paths, Collection<String> hashed) {
        copyAll(fromDir, toDir, paths);
        return listAndHash(toDir, hashed);
    }

    /**
     * Writes {@code files} and {@code records} into the freshly created {@code dir} as {@link
     * #uploadAll(String, Path, List, Map, Progress)} does, then copies {@code copies} from {@code fromDir}
     * into it, lists it and hashes the files written, as {@link #copyListAndHash} does. A transport that
     * runs commands does it all with one; the default makes the two calls.
     */
    default Listing uploadCopyListAndHash(
            String dir,
            Path tree,
            List<ManifestEntry> files,
            Map<String, byte[]> records,
            String fromDir,
            List<String> copies,
            Progress progress) {
        uploadAll(dir, tree, files, records, progress);
        return copyListAndHash(
                fromDir, dir, copies, files.stream().map(ManifestEntry::path).toList());
    }

    /**
     * A listing and the hashes of some of its files.
     *
     * @param stats every entry below the directory ({@link #stat})
     * @param sums path → SHA-256 (hex) of the files asked for that are regular files
     */
    record Listing(Map<String, FileStat> stats, Map<String, String> sums) {}

    /** What {@link #uploadAll} reports while it works; may be called from several threads at once. */
    interface Progress {

        /** One more file of {@code bytes} bytes has been written. */
        void sent(long bytes);

        /** How the files travel, said once per node (at INFO), e.g. why the bulk path is not used. */
        default void note(String message) {}
    }

    /**
     * Makes each of {@code paths} below {@code toDir} an independent copy (its own inode, mode and time
     * kept) of the same path below {@code fromDir}, both on the node: nothing is sent, and an in-place
     * edit of one copy changes no other. Directories are created; links are never followed.
     *
     * @throws DeployException when a file cannot be copied
     */
    void copyAll(String fromDir, String toDir, List<String> paths);

    /** Removes a file, link or whole directory tree (links are removed, never followed); nothing when absent. */
    void remove(String path);

    /**
     * Removes each of {@code paths} below {@code dir} as {@link #remove} does (a directory with everything
     * below it; links removed, never followed). A transport that runs commands removes them with one; the
     * default removes them one by one.
     */
    default void removeAll(String dir, Collection<String> paths) {
        for (String p : paths) {
            remove(Layout.join(dir, p));
        }
    }

    /** Renames atomically, replacing {@code to} when it exists (POSIX {@code rename(2)}, {@code mv -T}). */
    void rename(String from, String to);

    /** Creates a symbolic link at {@code link} pointing to {@code target} (relative to the link's directory). */
    void symlink(String link, String target);

    /**
     * Points {@code current} at {@code target} (a link target, {@code releases/<id>}): a new link
     * {@code link} beside it renamed over it, so a reader always finds one; then appends {@code line} to
     * the deploy log {@code log} (a JSON line, without its newline), where it can. A transport that runs
     * commands does both with one; the default switches with {@link #switchCurrent} and
     * leaves the log to the caller.
     *
     * @return whether {@code line} was appended; {@code false} leaves the log as it was (the caller appends,
     *     and a log that is a link or not a regular file fails it naming the log)
     * @throws DeployException when {@code current} was not switched (the new link is gone again), or when
     *     whether it was cannot be known (the connection to the node was lost meanwhile; the message says so)
     */
    default boolean switchAndLog(String link, String target, String log, String line) {
        try {
            switchCurrent(link, target);
        } catch (RuntimeException e) {
            String why = "cannot switch current to " + target + ": " + e.getMessage();
            throw e instanceof FacsimileException f && f.isUserError()
                    ? DeployException.refused(why, e)
                    : DeployException.broken(why, e);
        }
        return false;
    }

    /**
     * Points {@code current} at {@code target}: the new link {@code link} beside it renamed over it
     * (rename(2) replaces atomically, so a reader always finds a {@code current}, old or new); the new
     * link is removed again when the rename fails.
     */
    default void switchCurrent(String link, String target) {
        symlink(link, target);
        try {
            rename(link, Layout.CURRENT);
        } catch (RuntimeException e) {
            try {
                remove(link);
            } catch (RuntimeException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }

    /** The target of a symbolic link as stored, or empty when {@code link} is not a link. */
    Optional<String> readLink(String link);

    /** The content of a small file, or empty when it does not exist. */
    Optional<byte[]> readFile(String path);

    /** Writes a small file atomically (temporary file + rename), mode {@code 0644}; parents are created. */
    default void writeFile(String path, byte[] content) {
        upload(path, new ByteArrayInputStream(content), content.length, "0644");
    }

    /** Appends to a file, creating it (and its parents) when absent. */
    void appendFile(String path, byte[] content);

    /** Runs a shell command ({@code sh -c}) with {@code dir} as working directory, output captured. */
    ExecResult exec(String dir, String command);

    /**
     * Runs a shell command like {@link #exec(String, String)}, waiting at most {@code timeout}: a command
     * still running then is left to the caller to end (the result says {@link ExecResult#timedOut()},
     * with the output so far). The default waits without a bound.
     */
    default ExecResult exec(String dir, String command, Duration timeout) {
        return exec(dir, command);
    }

    /**
     * Takes the deploy lock of this home, waiting at most {@code wait} for another holder to let go.
     *
     * @param holder who takes it (user name); the transport adds host, process and time
     * @param waiting told who holds the lock, at once and every {@link HomeLock#PROGRESS} while this waits
     * @throws DeployException (a user error) when the lock is still held after {@code wait}, naming the holder
     */
    DeployLock lock(String holder, Duration wait, Consumer<String> waiting);

    /**
     * Takes the deploy lock for a deploy, as {@link #lock(String, Duration, Consumer)} does. A transport that
     * can also asks the node, in the same program, for what a deploy reads first ({@code current}, the
     * listing of its release) and answers from that until something changes it; the default only locks.
     */
    default DeployLock lockForDeploy(String holder, Duration wait, Consumer<String> waiting) {
        return lock(holder, wait, waiting);
    }

    /** Takes the deploy lock like {@link #lock(String, Duration, Consumer)}, silently while it waits. */
    default DeployLock lock(String holder, Duration wait) {
        return lock(holder, wait, other -> {});
    }

    /** Closes the connection; a transport is used by one node deploy and then closed. */
    @Override
    void close();
}

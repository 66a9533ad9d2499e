package io.facsimile.core.incremental;

import io.facsimile.core.release.EntryNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The source files as one run reads them: the listing of the definitions directory (and the digest
 * of each shared definitions directory), taken before anything in it is read, and each layer file's
 * parse, each template directory's walk and each source file's text and permissions, read once
 * however many instances use them. Twenty instances sharing 500 templates read 500 files, not 10,000.
 *
 * <p>Made per run of a goal and never kept longer: a template edited between two runs is read again.
 * An edit during a run is caught by the next one, because the stamp records the listing taken first.
 * Thread-safe: instances render in parallel; a value being read is waited for, not read twice.
 */
public final class SourceFiles {

    private final Path definitionsDir;
    /** The definitions directory's absolute, normalized path as text, ended by {@code /}: what names below it start with. */
    private final String below;

    private final List<Path> sharedDirs;
    private final String excluded;
    private volatile Listing listing;
    private volatile Map<String, FileState> plainByName;
    private final Map<Path, List<Walked>> walks = new ConcurrentHashMap<>();
    private final Map<Path, String> texts = new ConcurrentHashMap<>();
    private final Map<Path, Optional<Set<PosixFilePermission>>> permissions = new ConcurrentHashMap<>();
    private final Map<Path, Object> parsed = new ConcurrentHashMap<>();

    /** Permission sets by their text: a listing has thousands of files and a few modes. */
    private static final Map<String, Set<PosixFilePermission>> PERMISSIONS = new ConcurrentHashMap<>();

    /** The source files of a run whose definitions live in {@code definitionsDir}; nothing is read yet. */
    public SourceFiles(Path definitionsDir) {
        this(definitionsDir, List.of());
    }

    /**
     * @param sharedDirs directories of shared layers outside the definitions directory, listed with it:
     *     what resolving an instance reads
     */
    public SourceFiles(Path definitionsDir, List<Path> sharedDirs) {
        this(definitionsDir, sharedDirs, null);
    }

    /**
     * @param sharedDirs see {@link #SourceFiles(Path, List)}
     * @param stateDir where encrypted states are kept, or {@code null}: when it lies in the definitions
     *     directory it is left out of the listing. Saving one instance's state would otherwise change the
     *     listing every instance's stamp holds, and render them all again; a state is an input of the
     *     instances that use it through the digest of its own file, which their stamps hold.
     */
    public SourceFiles(Path definitionsDir, List<Path> sharedDirs, Path stateDir) {
        this.definitionsDir = definitionsDir;
        String root = definitionsDir.toAbsolutePath().normalize().toString();
        this.below = root.endsWith("/") ? root : root + "/";
        this.sharedDirs = List.copyOf(sharedDirs);
        this.excluded = excluded(definitionsDir, stateDir);
    }

    /** {@code stateDir} relative to {@code definitionsDir} with {@code /}, or {@code null} when it is not inside. */
    private static String excluded(Path definitionsDir, Path stateDir) {
        if (stateDir == null) {
            return null;
        }
        Path root = definitionsDir.toAbsolutePath().normalize();
        Path dir = stateDir.toAbsolutePath().normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            return null;
        }
        return root.relativize(dir).toString().replace('\\', '/');
    }

    /**
     * Whether {@code file} lies in the directory left out of the listing: a run that reads it anyway
     * (a group whose directory is named like the state directory) must watch it on its own.
     */
    boolean isExcluded(Path file) {
        if (excluded == null) {
            return false;
        }
        Path root = definitionsDir.toAbsolutePath().normalize();
        return file.toAbsolutePath().normalize().startsWith(root.resolve(excluded));
    }

    /**
     * Whether {@code file} may be a layer file or the module list: it lies directly in the definitions
     * directory, or in a shared directory.
     */
    boolean mayHoldLayer(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (definitionsDir.toAbsolutePath().normalize().equals(absolute.getParent())) {
            return true;
        }
        return sharedDirs.stream()
                .anyMatch(shared -> absolute.startsWith(shared.toAbsolutePath().normalize()));
    }

    private boolean isExcluded(FileState state) {
        return excluded != null
                && (state.path().equals(excluded) || state.path().startsWith(excluded + "/"));
    }

    /**
     * The definitions directory as listed once per run, with the fingerprint and newest time of it
     * and the shared directories, which every instance's stamp takes.
     *
     * @param states {@link FileState#list} of the definitions directory
     * @param digest a fingerprint of {@code states} and of the shared directories' listings
     * @param newest the newest modification time in them, nanoseconds
     * @param racy the {@link Fingerprint#content} of each file whose time, when it was listed, was not
     *     older than {@link ReleaseStamp#racyFrom}, taken before anything is read, by absolute path: as
     *     git does with the racily clean entries of its index, a stamp checks their content, not only
     *     their state
     * @param layersDigest a fingerprint of what resolving an instance can read: the entries directly in
     *     the definitions directory that are no directory (the layer files and the module list), and the
     *     shared directories, as in {@code digest}; {@code null} when one of those entries is a link or
     *     a special file, whose target the listing does not hold
     * @param outside the fingerprint of where the directories really are and of the shared directories'
     *     listings, which {@code digest} holds
     * @param startedAt the clock when the listing began, before anything was read (nanoseconds since the
     *     epoch): a file outside the directories that changed since may have changed after it was read
     */
    record Listing(
            List<FileState> states,
            String digest,
            long newest,
            Map<String, String> racy,
            String layersDigest,
            String outside,
            long startedAt) {

        /**
         * {@code digest} with the size and time of the files at {@code contentApart} (paths relative to the
         * definitions directory) and of every directory left out: it differs from the same of another listing
         * when anything but those files' contents changed. A directory's time and size change with the
         * entries added to it, removed from it or renamed in it (an editor that saves a file by renaming a
         * new one over it), and those entries are in the listing themselves. Made the same way as
         * {@code digest}.
         */
        String digestApart(Set<String> contentApart) {
            return digest(states, outside, state -> state.kind().equals("d") || contentApart.contains(state.path()));
        }

        /**
         * The fingerprint of the definitions directory's listing, with the size and time of the entries
         * {@code contentApart} selects left out, and of {@code outside}. The definitions directory is the
         * project's own: whoever can write it can write the stamps in target/ too, so a checksum of its
         * listing tells a change (3 ms, where a fresh JVM interprets SHA-256 over 10,000 entries for 60-90
         * ms). The SHA-256 guards the shared directories' listings and the real paths in {@code outside}.
         */
        static String digest(List<FileState> states, String outside, Predicate<FileState> contentApart) {
            return new Fingerprint()
                    .add(
                            "definitions",
                            Fingerprint.checksum()
                                    .addListing("definitions", states, contentApart)
                                    .hex())
                    .add("outside", outside)
                    .hex();
        }
    }

    /** The definitions directory. */
    Path definitionsDir() {
        return definitionsDir;
    }

    /** {@link FileState#list} of the definitions directory, taken on the first call of the run. */
    public List<FileState> listing() {
        return taken().states();
    }

    Listing taken() {
        Listing taken = listing;
        if (taken == null) {
            synchronized (this) {
                if (listing == null) {
                    long startedAt = ReleaseStamp.now();
                    long racyFrom = ReleaseStamp.racyFrom(startedAt);
                    List<FileState> states = FileState.list(definitionsDir).stream()
                            .filter(state -> !isExcluded(state))
                            .toList();
                    Path root = definitionsDir.toAbsolutePath().normalize();
                    // where the directories really are and the shared directories: part of both fingerprints
                    Fingerprint outside = new Fingerprint().add("real", realPath(definitionsDir));
                    long newest = FileState.newest(states);
                    Map<String, String> racy = new TreeMap<>();
                    addRacy(root, states, racyFrom, racy);
                    for (Path shared : sharedDirs) {
                        // a SHA-256 of the listing, not TreeDigest's checksum: a shared directory may be
                        // another's to write, and nobody must be able to make a change of it go unseen
                        List<FileState> listed = FileState.list(shared);
                        String digest = new Fingerprint()
                                .addListing("shared", listed)
                                .add("directory", Files.isDirectory(shared))
                                .hex();
                        // a directory reached through a link counts by its target, too
                        outside.add(shared.toAbsolutePath().toString(), List.of(realPath(shared), digest));
                        long newestShared = FileState.newest(listed);
                        newest = Math.max(newest, newestShared);
                        if (newestShared >= racyFrom) {
                            addRacy(shared.toAbsolutePath().normalize(), listed, racyFrom, racy);
                        }
                    }
                    String outsideHex = outside.hex();
                    List<FileState> layerFiles = layerFiles(states);
                    listing = new Listing(
                            states,
                            Listing.digest(states, outsideHex, state -> false),
                            newest,
                            Map.copyOf(racy),
                            layerFiles == null
                                    ? null
                                    : new Fingerprint()
                                            .addListing("layers", layerFiles)
                                            .add("outside", outsideHex)
                                            .hex(),
                            outsideHex,
                            startedAt);
                }
                taken = listing;
            }
        }
        return taken;
    }

    /**
     * The entries directly in the definitions directory that are not directories: where the layer files
     * and the module list are. {@code null} when one is a link or a special file: what resolving reads
     * through it is not in the listing.
     */
    private static List<FileState> layerFiles(List<FileState> states) {
        List<FileState> files = new ArrayList<>();
        for (FileState state : states) {
            if (state.path().indexOf('/') < 0 && !state.kind().equals("d")) {
                if (!state.kind().equals("f")) {
                    return null;
                }
                files.add(state);
            }
        }
        return files;
    }

    /** Takes the content of each regular file of a listing of {@code root} whose time is {@code from} or later. */
    private static void addRacy(Path root, List<FileState> states, long from, Map<String, String> racy) {
        for (FileState state : states) {
            if (state.kind().equals("f") && state.modified() >= from) {
                Path file = root.resolve(state.path());
                racy.put(file.toString(), Fingerprint.content(file));
            }
        }
    }

    /** Where a directory really is, or nothing when it does not exist. */
    private static String realPath(Path dir) {
        try {
            return dir.toRealPath().toString();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A file found below a source directory.
     *
     * @param path the file
     * @param relative its name relative to the directory walked, with {@code /}
     */
    public record Walked(Path path, String relative) {}

    /**
     * The regular files below {@code dir} as this run's listing holds them, sorted by their names relative
     * to it, when the listing answers for all of it: {@code dir} is a directory of the definitions
     * directory reached through no link, and nothing below it is a link, a FIFO, socket or device, a
     * name with a control character, or the state directory left out of the listing. Otherwise empty,
     * and the caller walks the directory itself, checking what it finds.
     */
    public Optional<List<Walked>> listedFiles(Path dir) {
        Path root = definitionsDir.toAbsolutePath().normalize();
        Path absolute = dir.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            return Optional.empty();
        }
        String relative = root.relativize(absolute).toString().replace('\\', '/');
        if (excluded != null && (relative.isEmpty() || (excluded + "/").startsWith(relative + "/"))) {
            return Optional.empty(); // the left-out state directory lies below
        }
        String prefix = relative.isEmpty() ? "" : relative + "/";
        boolean found = relative.isEmpty();
        List<Walked> files = new ArrayList<>();
        for (FileState state : taken().states()) {
            String path = state.path();
            if (path.equals(relative)) {
                found = state.kind().equals("d");
            } else if (path.startsWith(prefix)) {
                if (path.chars().anyMatch(EntryNames::isHidden)) {
                    return Optional.empty();
                }
                switch (state.kind()) {
                    case "f" -> {
                        String below = path.substring(prefix.length());
                        files.add(new Walked(dir.resolve(below), below));
                    }
                    case "d" -> {}
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        }
        if (!found) {
            return Optional.empty();
        }
        files.sort(Comparator.comparing(Walked::relative));
        return Optional.of(files);
    }

    /** The regular files of a source directory, as {@code walk} finds and checks them the first time. */
    public List<Walked> files(Path dir, Function<Path, List<Walked>> walk) {
        return walks.computeIfAbsent(dir, d -> List.copyOf(walk.apply(d)));
    }

    /**
     * A definition file as {@code parse} gives it the first time: the layers every instance shares
     * are parsed once a run. The value must not be changed by whoever gets it.
     */
    @SuppressWarnings("unchecked")
    public <T> T parsed(Path file, Function<Path, T> parse) {
        return (T) parsed.computeIfAbsent(file, parse);
    }

    /** A source file's text, as {@code read} gives it the first time. */
    public String text(Path file, Function<Path, String> read) {
        return texts.computeIfAbsent(file, read);
    }

    /**
     * The state of a regular file of the definitions directory as this run's listing holds it, or
     * {@code null} for a file the listing does not hold as one (outside it, or reached through a link).
     */
    public FileState listed(Path file) {
        String name = listedName(
                file.isAbsolute()
                        ? file.toString()
                        : file.toAbsolutePath().normalize().toString());
        return name == null ? null : listedByName(name);
    }

    /**
     * The state of a regular file of the definitions directory as this run's listing holds it, by its
     * path relative to the directory ({@code /}-separated, as listed), or {@code null}: for thousands of
     * lookups without making a path of each.
     */
    public FileState listedByName(String relative) {
        Map<String, FileState> byName = plainByName;
        if (byName == null) {
            List<FileState> states = listing();
            synchronized (this) { // instances ask for it in parallel: made once
                byName = plainByName;
                if (byName == null) {
                    Map<String, FileState> made = new HashMap<>();
                    for (FileState state : states) {
                        if (state.kind().equals("f")) {
                            made.put(state.path(), state);
                        }
                    }
                    byName = Collections.unmodifiableMap(made);
                    plainByName = byName;
                }
            }
        }
        return byName.get(relative);
    }

    /**
     * The name a listing of the definitions directory gives the file at {@code path} (a path's text), read
     * off the text as it is: thousands of them are asked for, and a fresh JVM takes some 90 ms to make,
     * normalize and relativize 10,000 paths. {@code null} when it does not lie below the directory, or is not
     * spelled as an absolute, normalized path is (an empty, {@code .} or {@code ..} part).
     */
    public String listedName(String path) {
        if (!path.startsWith(below) || path.length() == below.length()) {
            return null;
        }
        String name = path.substring(below.length());
        String slashed = "/" + name + "/";
        return slashed.contains("//") || slashed.contains("/./") || slashed.contains("/../") ? null : name;
    }

    /** The file a listing of the definitions directory names {@code name} ({@link #listedName}), absolute. */
    public Path listedPath(String name) {
        return Path.of(below, name);
    }

    /**
     * Whether the file at {@code absolute} (normalized, as a path's text) had a time too recent, when it was
     * listed, for its state to stand for its content.
     */
    public boolean isRacy(String absolute) {
        return taken().racy().containsKey(absolute);
    }

    /** Whether {@code file}'s time was too recent, when it was listed, for its state to stand for its content. */
    public boolean isRacy(Path file) {
        return isRacy(file.toString())
                || isRacy(file.toAbsolutePath().normalize().toString());
    }

    /**
     * A source file's POSIX permissions, or {@code null} where the file system has none: as listed, for a
     * file of the definitions directory, without asking the file system again.
     */
    public Set<PosixFilePermission> permissions(Path file) {
        return permissions.computeIfAbsent(file, this::readPermissions).orElse(null);
    }

    private Optional<Set<PosixFilePermission>> readPermissions(Path file) {
        FileState listed = listed(file);
        if (listed != null && !listed.permissions().isEmpty()) {
            return Optional.of(PERMISSIONS.computeIfAbsent(
                    listed.permissions(), text -> Set.copyOf(PosixFilePermissions.fromString(text))));
        }
        try {
            if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
                return Optional.empty();
            }
            return Optional.of(Set.copyOf(Files.getPosixFilePermissions(file)));
        } catch (IOException e) {
            throw IncrementalException.broken("cannot read the permissions of " + file, e);
        }
    }
}

package io.facsimile.core.incremental;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The fingerprint of everything one rendering of a release dir depends on, and the check and record
 * of its {@link ReleaseStamp}. Made per run and release dir by the caller, who feeds the values that
 * are not files (resolved definition, modules, state, project) to {@link #builder}; the listing of
 * the definitions and shared directories and the code of Facsimile itself are added here.
 *
 * @param digest the fingerprint, hex
 * @param newestInput the newest modification time in the definitions and shared directories, nanoseconds
 * @param cacheable {@code false} when the rendering uses Maven artifacts: their resolution is not
 *     repeated without planning, so such an instance is always rendered (and compared file by file)
 * @param resolution what the values were resolved from, or {@code null} when they were not resolved
 *     for this rendering (the sealed copy)
 * @param values the fingerprint of the caller's values alone, hex: with the listing made {@link
 *     #apart} from the contents of the copy sources, it tells whether anything but those changed
 */
public record RenderInputs(
        String digest, long newestInput, boolean cacheable, ResolutionKey resolution, String values) {

    /** The jar (or classes directory) Facsimile runs from, with its size and time: another build of it renders anew. */
    private static final String CODE = computeCode();

    /**
     * A fingerprint of the definitions directory's listing and of Facsimile's code, to which the
     * caller adds the values the rendering depends on; then {@link #of}.
     */
    public static Fingerprint builder() {
        return new Fingerprint().add("facsimile", CODE);
    }

    /**
     * @param values the caller's values, from {@link #builder}
     * @param sources the run's source files, whose listing of the definitions directory (templates,
     *     extra files, copy sources below it) is taken once per run and fingerprinted once
     * @param cacheable see {@link RenderInputs}
     * @param resolution see {@link RenderInputs}
     */
    public static RenderInputs of(
            Fingerprint values, SourceFiles sources, boolean cacheable, ResolutionKey resolution) {
        SourceFiles.Listing listing = sources.taken();
        String valuesHex = values.hex();
        return new RenderInputs(
                values.add("definitions", listing.digest()).hex(), listing.newest(), cacheable, resolution, valuesHex);
    }

    /**
     * These inputs with the contents of a rendering's copy sources left out.
     *
     * @param copySources the copy sources, as the listing of the definitions directory names them
     * @param digest the fingerprint of the inputs with the size and time of those files left out
     */
    public record Apart(Set<String> copySources, String digest) {}

    /**
     * These inputs with the size and time of the copy sources at {@code copySources} (as the listing of the
     * definitions directory names them) left out: the same fingerprint as the one a stamp recorded for the
     * same copy sources when nothing changed since but the contents of those files. Their names, kinds
     * and modes count as every other entry's.
     */
    public Apart apart(SourceFiles sources, Set<String> copySources) {
        return new Apart(
                copySources,
                new Fingerprint()
                        .add("values", values)
                        .add("definitions", sources.taken().digestApart(copySources))
                        .hex());
    }

    /** Whether {@code releaseDir} already holds the rendering of these inputs, untouched. */
    public boolean isCurrent(Path releaseDir) {
        return cacheable && ReleaseStamp.isCurrent(releaseDir, digest);
    }

    /**
     * As {@link #isCurrent(Path)}, taking {@code changes}' answer for the release dir where it has one: a
     * change it saw is one, even when the listing finds the recorded sizes and times again.
     */
    public boolean isCurrent(Path releaseDir, ReleaseDirChanges changes) {
        return cacheable && ReleaseStamp.isCurrent(releaseDir, stamp -> digest.equals(stamp.inputs()), changes);
    }

    /**
     * Whether {@code releaseDir} holds, untouched, the rendering of inputs that differ from these in
     * nothing but the contents of the copy sources {@code apart} leaves out: its stamp kept the same
     * fingerprint, and watches no file outside the definitions directory. Of the inputs the stamp checks by
     * content, the copy sources are left to the caller, who compares each with the record of its copy.
     */
    public boolean isCurrentApart(Path releaseDir, Apart apart, SourceFiles sources, ReleaseDirChanges changes) {
        return cacheable
                && ReleaseStamp.isCurrent(
                        releaseDir,
                        stamp -> stamp.watched().isEmpty() && apart.digest().equals(stamp.copiesApart()),
                        changes,
                        input -> {
                            // a file of a shared definitions directory has no name in the listing: no copy source
                            String name = sources.listedName(input.toString());
                            return name == null || !apart.copySources().contains(name);
                        });
    }

    /**
     * After {@link #isCurrent(Path)} found {@code releaseDir} current: keeps in its stamp the key of
     * what these inputs were resolved from, when that changed without changing them.
     */
    public void rekey(Path releaseDir) {
        if (resolution != null) {
            ReleaseStamp.rekey(releaseDir, digest, resolution);
        }
    }

    /**
     * Whether {@code releaseDir} already holds, untouched, a rendering whose values were resolved from
     * what they would be resolved from now; checked before resolving anything.
     *
     * @param again takes the key of its stamp again, from the state name and environment variables it names
     * @param changes which release dirs are known unchanged since their stamps listed them
     * @param seen shown the stamp read, before it is compared
     */
    public static boolean isCurrentByResolution(
            Path releaseDir,
            UnaryOperator<ResolutionKey> again,
            ReleaseDirChanges changes,
            Consumer<ReleaseStamp> seen) {
        return ReleaseStamp.isCurrent(
                releaseDir,
                stamp -> {
                    seen.accept(stamp);
                    return stamp.resolution() != null && stamp.resolution().equals(again.apply(stamp.resolution()));
                },
                changes);
    }

    /**
     * Whether the stamp of {@code releaseDir} is of a rendering whose values were resolved from the
     * layers, state and environment variables they would be resolved from now, whatever template or
     * extra file changed since: that rendering checked the definition against the schema. Checked
     * before resolving anything; the release dir itself is not looked at.
     *
     * @param again takes the key of its stamp again, from the state name and environment variables it names
     */
    public static boolean isResolvedAsBefore(Path releaseDir, SourceFiles sources, UnaryOperator<ResolutionKey> again) {
        return ReleaseStamp.wasRenderedFrom(
                releaseDir,
                stamp -> stamp.resolution() != null
                        && stamp.resolution().sameDefinition(again.apply(stamp.resolution())),
                sources::mayHoldLayer);
    }

    /**
     * Stamps {@code releaseDir}, just rendered, with these inputs. Files read for it that lie outside
     * the definitions directory (through a link, in a shared directory, or named by a copy group) are
     * watched with their directories: the listing holds a link, not what it points to.
     *
     * @param read the files the rendering read: the layer files and module list the values were
     *     resolved from, and the templates and copy sources of its plan
     * @param sources the run's source files: a source its listing holds as a plain file is inside
     * @return the regular files of the release dir as the stamp's listing found them, by path relative
     *     to it, every time older than the moment it was listed; empty when no stamp was written
     */
    public Map<String, FileState> record(Path releaseDir, Collection<Path> read, SourceFiles sources) {
        return record(releaseDir, read, sources, null);
    }

    /**
     * As {@link #record(Path, Collection, SourceFiles)}, the stamp also keeping these inputs {@link #apart}
     * from the contents of the rendering's copy sources, so that the next rendering can tell a change of
     * nothing but those.
     *
     * @param apart these inputs apart from the copy sources' contents, or {@code null} to keep none
     */
    public Map<String, FileState> record(Path releaseDir, Collection<Path> read, SourceFiles sources, Apart apart) {
        if (!cacheable) {
            return Map.of();
        }
        try {
            Path realDefinitions = sources.definitionsDir().toRealPath();
            Set<Path> watched = new LinkedHashSet<>();
            // a source that is no link is inside when its directory is: one realpath per directory,
            // not one per file (each costs a readlink per path segment)
            Map<Path, Boolean> inside = new HashMap<>();
            for (Path source : read) {
                if (sources.listed(source) == null
                        && (sources.isExcluded(source)
                                || Files.isSymbolicLink(source)
                                || !inside.computeIfAbsent(
                                        source.toAbsolutePath().getParent(),
                                        dir -> realPathOfWhatExists(dir).startsWith(realDefinitions)))) {
                    watch(source.toAbsolutePath(), watched);
                }
            }
            return ReleaseStamp.record(
                    releaseDir,
                    digest,
                    resolution,
                    newestInput,
                    sources.taken().racy(),
                    watched,
                    sources.taken().startedAt(),
                    apart == null ? null : apart.digest());
        } catch (IOException e) {
            throw IncrementalException.broken("cannot stamp the release dir " + releaseDir, e);
        } catch (UncheckedIOException e) {
            throw IncrementalException.broken("cannot stamp the release dir " + releaseDir, e.getCause());
        }
    }

    /**
     * Watches a source outside the definitions directory: a file read, with its real path and directory;
     * a directory walked, with every directory below it (a file that appears in any of them changes its
     * time); a path found absent, with the nearest directory above it that exists (which changes when
     * the path, or a directory on the way to it, is created).
     */
    private static void watch(Path source, Set<Path> watched) throws IOException {
        watched.add(source);
        if (!Files.exists(source)) {
            Path existing = source.getParent();
            while (existing != null && !Files.isDirectory(existing)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                watched.add(existing.toRealPath());
            }
            return;
        }
        Path real = source.toRealPath();
        watched.add(real);
        if (real.getParent() != null) {
            watched.add(real.getParent());
        }
        if (Files.isDirectory(real)) {
            try (Stream<Path> below = Files.walk(real, FileVisitOption.FOLLOW_LINKS)) {
                for (Path dir : (Iterable<Path>) below.filter(Files::isDirectory)::iterator) {
                    watched.add(dir);
                    watched.add(dir.toRealPath());
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** The real path of {@code path}, or of the part of it that exists with the rest resolved on it. */
    private static Path realPathOfWhatExists(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            Path parent = path.getParent();
            if (parent == null) {
                throw new UncheckedIOException(e);
            }
            return realPathOfWhatExists(parent).resolve(path.getFileName());
        }
    }

    /** Which build of Facsimile runs: its jar with size and time, or its classes directory. */
    static String code() {
        return CODE;
    }

    private static String computeCode() {
        CodeSource source = RenderInputs.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return location.toString();
            }
            // spelled out, not the record's toString: a fresh JVM would bootstrap java.lang.runtime.ObjectMethods
            // for it, tens of milliseconds of every goal
            FileState jar = FileState.of(location);
            return jar.path() + " " + jar.size() + " " + jar.modified();
        } catch (URISyntaxException | RuntimeException e) {
            return source.getLocation().toString();
        }
    }
}

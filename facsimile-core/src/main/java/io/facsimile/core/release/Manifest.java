package io.facsimile.core.release;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The list of every file of a deploy tree with its size, mode and SHA-256, as written to
 * {@code manifest.json} in the release dir. Entries are sorted by path so that the same tree always
 * gives the same document, and a path appears at most once.
 */
public record Manifest(List<ManifestEntry> files) {

    /**
     * @param files the entries, in any order; {@code null} means none
     * @throws IllegalArgumentException when two entries have the same path
     */
    public Manifest {
        files = files == null
                ? List.of()
                : files.stream()
                        .map(e -> Objects.requireNonNull(e, "manifest entry"))
                        .sorted(Comparator.comparing(ManifestEntry::path))
                        .toList();
        Set<String> seen = new HashSet<>();
        for (ManifestEntry e : files) {
            if (!seen.add(e.path())) {
                throw new IllegalArgumentException("manifest lists " + e.path() + " twice");
            }
        }
    }

    /**
     * Scans a deploy tree: every regular file below it, symlinks not followed (and not listed). A
     * missing deploy tree gives an empty manifest.
     */
    public static Manifest scan(Path deployTree) {
        if (!Files.isDirectory(deployTree)) {
            return new Manifest(List.of());
        }
        try (Stream<Path> walk = Files.walk(deployTree)) {
            List<Path> regular = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList();
            List<ManifestEntry> entries = new ArrayList<>(regular.size());
            for (Path file : regular) {
                entries.add(new ManifestEntry(
                        relative(deployTree, file), Files.size(file), mode(file), sha256(file), false));
            }
            return new Manifest(entries);
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot scan deploy tree " + deployTree, e);
        } catch (IllegalArgumentException e) {
            throw ReleaseException.userError(
                    "Cannot list deploy tree " + deployTree + ": " + e.getMessage() + "; rename the file", e);
        }
    }

    /**
     * The manifest of files about to be, or just, written into a deploy tree, from what is known of
     * them without reading them back: the entries are those {@link #scan} would find once they are on
     * disk.
     *
     * @param files path below the deploy tree → its digested content
     * @param modes path below the deploy tree → permissions, {@code null} for {@code 0644}
     */
    public static Manifest of(Map<String, Digested> files, Map<String, Set<PosixFilePermission>> modes) {
        List<ManifestEntry> entries = new ArrayList<>(files.size());
        files.forEach((path, content) -> entries.add(new ManifestEntry(
                path, content.size(), FileMode.of(modes.get(path)).octal(), content.sha256(), false)));
        return new Manifest(entries);
    }

    /**
     * A file's content as already digested, e.g. by the render that wrote it.
     *
     * @param size its size in bytes
     * @param sha256 the lowercase hex SHA-256 of its content
     */
    public record Digested(long size, String sha256) {}

    /** Reads a {@code manifest.json}; a file that is not a manifest is a user error naming the line. */
    public static Manifest read(Path file) {
        try {
            return read(file, Files.readAllBytes(file));
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot read " + file, e);
        }
    }

    /** Parses the bytes of {@code file}, a {@code manifest.json} read already, as {@link #read(Path)} does. */
    public static Manifest read(Path file, byte[] json) {
        try {
            return parse(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String line = at == null || at.getLineNr() < 0 ? "" : ":" + at.getLineNr();
            throw ReleaseException.userError(
                    file + line + ": not a manifest: " + e.getOriginalMessage() + "; render the instance again", e);
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot read " + file, e);
        }
    }

    /**
     * Reads a {@code manifest.json} document, e.g. one that came from a node.
     *
     * @throws JsonProcessingException naming the line where it is not a manifest
     */
    public static Manifest parse(byte[] json) throws IOException {
        return ManifestCodec.read(json);
    }

    /** The manifest as a UTF-8 JSON document with {@code \n} line ends, byte-identical for the same entries. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(files.size() * 192 + 32);
        try {
            ManifestCodec.write(this, false, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The entry for a path relative to the deploy tree. */
    public Optional<ManifestEntry> entry(String path) {
        return files.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /**
     * The directories its files lie in, at every level, the tree's own root left out: {@code a} and
     * {@code a/b} for the file {@code a/b/c}.
     */
    public Set<String> directories() {
        return directoriesOf(files.stream().map(ManifestEntry::path).toList());
    }

    /** The directories {@code paths} ({@code /}-separated, relative) lie in, as {@link #directories()} gives them. */
    public static Set<String> directoriesOf(java.util.Collection<String> paths) {
        Set<String> dirs = new HashSet<>();
        for (String path : paths) {
            // a directory already seen has its parents in the set too
            int slash = path.lastIndexOf('/');
            while (slash > 0 && dirs.add(path.substring(0, slash))) {
                slash = path.lastIndexOf('/', slash - 1);
            }
        }
        return dirs;
    }

    /** The entries by path, in path order. */
    public Map<String, ManifestEntry> byPath() {
        return files.stream()
                .collect(Collectors.toMap(ManifestEntry::path, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    /** A copy whose entries for the given paths are marked sealed and all others not. */
    public Manifest seal(Set<String> sealedPaths) {
        return new Manifest(files.stream()
                .map(e -> e.withSealed(sealedPaths.contains(e.path())))
                .toList());
    }

    /**
     * A digest of the whole tree: the SHA-256 of the manifest document with every entry unsealed, in
     * lowercase hex. It changes when any path, size, mode or content changes.
     */
    public String treeHash() {
        // the bytes of toJson() with every entry unsealed, streamed into the digest rather than built as a
        // 2 MB array for 10,000 files
        MessageDigest md = FileSha256.newDigest();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            ManifestCodec.write(this, true, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * {@link #treeHash()}, given this manifest's own {@link #toJson()} bytes: with no entry sealed they are
     * the very bytes the tree hash digests, so they are digested as they are instead of being made again
     * (10,000 entries to encode in a fresh JVM).
     *
     * @param json {@link #toJson()} of this manifest
     */
    public String treeHash(byte[] json) {
        if (files.stream().anyMatch(ManifestEntry::sealed)) {
            return treeHash();
        }
        return HexFormat.of().formatHex(FileSha256.newDigest().digest(json));
    }

    /** The lowercase hex SHA-256 of a file's content. */
    public static String sha256(Path file) {
        try {
            return FileSha256.of(file).sha256();
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot read " + file, e);
        }
    }

    /** The POSIX permission bits of a file as four octal digits; {@code 0644} where the OS has none. */
    public static String mode(Path file) throws IOException {
        return FileMode.of(file, FileMode.FILE).octal();
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}

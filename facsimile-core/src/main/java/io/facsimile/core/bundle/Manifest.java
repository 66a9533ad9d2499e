package io.facsimile.core.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The list of every file of a deploy tree with its size, mode and SHA-256, as written to
 * {@code manifest.json} in the release dir. Entries are sorted by path so that the same tree always
 * gives the same document.
 */
public record Manifest(List<ManifestEntry> files) {

    /** Name of the manifest file in the release dir. */
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Manifest {
        files = files.stream().sorted(Comparator.comparing(ManifestEntry::path)).toList();
    }

    /** Scans a deploy tree: every regular file below it, symlinks not followed. */
    public static Manifest scan(Path deployTree) {
        if (!Files.isDirectory(deployTree)) {
            return new Manifest(List.of());
        }
        try (Stream<Path> walk = Files.walk(deployTree)) {
            List<Path> regular = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
            List<ManifestEntry> entries = new ArrayList<>(regular.size());
            for (Path file : regular) {
                entries.add(new ManifestEntry(relative(deployTree, file), Files.size(file), mode(file), sha256(file), false));
            }
            return new Manifest(entries);
        } catch (IOException e) {
            throw new BundleException("Cannot scan deploy tree " + deployTree + ": " + e.getMessage(), e, false);
        }
    }

    /** Reads a {@code manifest.json}. */
    public static Manifest read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readValue(in, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new BundleException(file + ":" + e.getLocation().getLineNr() + ": not a manifest: "
                    + e.getOriginalMessage() + "; render the instance again", e, true);
        } catch (IOException e) {
            throw new BundleException("Cannot read " + file + ": " + e.getMessage(), e, false);
        }
    }

    /** The manifest as a JSON document, byte-identical for the same entries. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry for a path relative to the deploy tree. */
    public Optional<ManifestEntry> entry(String path) {
        return files.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /** The entries by path. */
    public Map<String, ManifestEntry> byPath() {
        return files.stream().collect(Collectors.toMap(ManifestEntry::path, Function.identity(), (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    /** A copy whose entries for the given paths are marked sealed. */
    public Manifest seal(Set<String> sealedPaths) {
        return new Manifest(files.stream()
                .map(e -> new ManifestEntry(e.path(), e.size(), e.mode(), e.sha256(), sealedPaths.contains(e.path())))
                .toList());
    }

    /** A digest of the whole tree: the SHA-256 of the manifest document, in lowercase hex. */
    public String treeHash() {
        return HexFormat.of().formatHex(digest().digest(new Manifest(files.stream()
                .map(e -> new ManifestEntry(e.path(), e.size(), e.mode(), e.sha256(), false)).toList()).toJson()));
    }

    /** The lowercase hex SHA-256 of a file's content. */
    public static String sha256(Path file) {
        MessageDigest md = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The POSIX permission bits of a file as four octal digits; {@code 0644} where the OS has none. */
    public static String mode(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return "0644";
        }
        int bits = 0;
        for (PosixFilePermission p : view.readAttributes().permissions()) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format(java.util.Locale.ROOT, "%04o", bits);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

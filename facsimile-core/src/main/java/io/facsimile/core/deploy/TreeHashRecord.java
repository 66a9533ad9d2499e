package io.facsimile.core.deploy;

import io.facsimile.core.incremental.Fingerprint;
import io.facsimile.core.release.AtomicFiles;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tree hash of a rendered release's manifest, kept beside its release dir as {@code .<name>.tree}
 * (as its stamp is, so never in a bundle or a deploy) by the first deploy that takes it. The hash names
 * the release on every node: for 10,000 files it is the SHA-256 of some 2 MB of manifest document, which
 * a fresh JVM interprets before the JIT compiles it (100-150 ms of every deploy). The record holds the
 * checksum of the {@code manifest.json} bytes it was taken from; a manifest whose bytes differ (a new
 * rendering, an edit) is hashed again and recorded anew. The record is a cache: one that cannot be
 * read or written costs only the hash.
 */
final class TreeHashRecord {

    /**
     * The record's format and what a record vouches for: a new way of hashing a manifest, a stricter
     * manifest parser or more reserved paths ({@link DeployPlanner#target}) take a new header, since a
     * recorded document is parsed and checked only when a deploy needs its entries.
     */
    private static final String HEADER = "facsimile tree hash 1";
    /** Where the record is kept, {@code null} for none. */
    private final Path file;
    /** The checksum of the manifest document the hash is of. */
    private final String checksum;
    /** The hash the record held for the same document when it was read; {@code null} when none. */
    private final String recorded;
    /** The hash, once read from a record that matches or taken; {@code null} before. */
    private volatile String known;
    /** Takes the hash: {@link Manifest#treeHash}, or a test's counting stand-in. */
    private final Function<Manifest, String> hasher;

    private TreeHashRecord(Path file, String checksum, String recorded) {
        this(file, checksum, recorded, Manifest::treeHash);
    }

    private TreeHashRecord(Path file, String checksum, String recorded, Function<Manifest, String> hasher) {
        this.file = file;
        this.checksum = checksum;
        this.recorded = recorded;
        this.known = recorded;
        this.hasher = hasher;
    }

    /** No record, the hash taken by {@code hasher}: for tests of how often it is taken. */
    static TreeHashRecord none(Function<Manifest, String> hasher) {
        return new TreeHashRecord(null, "", null, hasher);
    }

    /** No record: the hash is taken once, for this source only. */
    static TreeHashRecord none() {
        return new TreeHashRecord(null, "", null);
    }

    /**
     * The record beside {@code releaseDir} for its manifest document {@code manifestJson}: the hash is
     * known at once when the record was taken from the same bytes.
     */
    static TreeHashRecord beside(Path releaseDir, byte[] manifestJson) {
        return beside(releaseDir, manifestJson, Manifest::treeHash);
    }

    /**
     * As {@link #beside(Path, byte[])}, for bytes that are {@link Manifest#toJson()} of the manifest the
     * hash will be asked of (a render's, as it wrote them): hashed as they are.
     */
    static TreeHashRecord besideWritten(Path releaseDir, byte[] manifestJson) {
        return beside(releaseDir, manifestJson, manifest -> manifest.treeHash(manifestJson));
    }

    private static TreeHashRecord beside(Path releaseDir, byte[] manifestJson, Function<Manifest, String> hasher) {
        Path file = releaseDir.resolveSibling("." + releaseDir.getFileName() + ".tree");
        String checksum = Fingerprint.checksum()
                .add("size", manifestJson.length)
                .add("manifest", manifestJson)
                .hex();
        return new TreeHashRecord(file, checksum, recorded(file, checksum), hasher);
    }

    /** The hash the record held for the same manifest document, when it did. */
    Optional<String> recorded() {
        return Optional.ofNullable(recorded);
    }

    /**
     * The tree hash of {@code manifest}, the one parsed from the bytes this record is for: taken once,
     * however many nodes ask at once (a fleet's deploy threads all start by asking).
     */
    String treeHash(Manifest manifest) {
        String hash = known;
        if (hash == null) {
            synchronized (this) {
                hash = known;
                if (hash == null) {
                    hash = hasher.apply(manifest);
                    known = hash;
                    write(hash);
                }
            }
        }
        return hash;
    }

    private void write(String hash) {
        if (file == null) {
            return;
        }
        try {
            AtomicFiles.writeReadable(
                    file, (HEADER + "\n" + checksum + "\n" + hash + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // a cache (ReleaseException when the directory cannot be written): the next deploy takes the hash again
        }
    }

    /** The hash the record at {@code file} holds for the document of {@code checksum}; {@code null} otherwise. */
    private static String recorded(Path file, String checksum) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.allocate(1025);
            try (SeekableByteChannel in =
                    Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                while (bytes.hasRemaining() && in.read(bytes) >= 0) {
                    // at most 1 KiB: a record is some 110 bytes
                }
            }
            if (!bytes.hasRemaining()) {
                return null;
            }
            String[] lines = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).split("\n", -1);
            if (lines.length != 4
                    || !lines[0].equals(HEADER)
                    || !lines[1].equals(checksum)
                    || !ManifestEntry.isSha256(lines[2])) {
                return null;
            }
            return lines[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

package io.facsimile.core.release;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a file's content, read once through one buffer of its size (up to {@link #CHUNK}): a
 * release holds thousands of small files, each of which a stream with its own 16 KiB transfer buffer and a
 * digest looked up by name cost a fresh JVM more than the hashing itself.
 *
 * @param sha256 the digest, lowercase hex
 * @param size the bytes read
 */
public record FileSha256(String sha256, long size) {

    /** The largest buffer one file is read through. */
    private static final int CHUNK = 1 << 20;

    private static final MessageDigest PROTOTYPE = prototype();

    /**
     * Reads {@code file} (a link is followed, as opening a file follows it) to its end, whatever size it had
     * when opened.
     */
    public static FileSha256 of(Path file) throws IOException {
        return read(file, StandardOpenOption.READ);
    }

    /** As {@link #of}, failing instead when {@code file} is a link ({@code O_NOFOLLOW}). */
    public static FileSha256 ofNoLink(Path file) throws IOException {
        return read(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileSha256 read(Path file, OpenOption... options) throws IOException {
        try (FileChannel in = FileChannel.open(file, options)) {
            return of(in);
        }
    }

    /** Reads {@code in}, an open file, to its end (it is left open). */
    public static FileSha256 of(SeekableByteChannel in) throws IOException {
        MessageDigest md = newDigest();
        long size = 0;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, in.size() + 1)));
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            buffer.flip();
            md.update(buffer);
            buffer.clear();
            size += n;
        }
        return new FileSha256(HexFormat.of().formatHex(md.digest()), size);
    }

    /** A new SHA-256 digest: a clone of one looked up once, which costs less than a lookup by name. */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return prototype();
        }
    }

    private static MessageDigest prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

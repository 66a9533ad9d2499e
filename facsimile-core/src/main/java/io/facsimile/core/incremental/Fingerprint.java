package io.facsimile.core.incremental;

import io.facsimile.core.release.FileSha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A SHA-256 over named values, for telling whether the inputs of a rendering changed (or, for a
 * listing of files, a {@link #checksum()} of the same bytes). Maps are
 * taken in key order, so two equal trees give the same digest however they were built; every value
 * is tagged with its type and length, so no two different inputs run together into the same bytes.
 * Only the digest is kept: a secret fed in cannot be read back out of it.
 */
public final class Fingerprint {

    /** The SHA-256 of the bytes, or {@code null} for a {@link #checksum()}. */
    private final MessageDigest digest;
    /** The checksums of a {@link #checksum()}, or {@code null}. */
    private final CRC32 crc32;

    private final CRC32C crc32c;
    /** Bytes not yet given to the digest: one update per byte costs more than the hashing itself. */
    private final byte[] buffer = new byte[8192];

    private int buffered;

    public Fingerprint() {
        digest = FileSha256.newDigest();
        crc32 = null;
        crc32c = null;
    }

    private Fingerprint(CRC32 crc32, CRC32C crc32c) {
        this.digest = null;
        this.crc32 = crc32;
        this.crc32c = crc32c;
    }

    /**
     * A fingerprint of the same bytes by CRC-32 and CRC-32C together (64 bits, hex), for a listing that
     * only tells whether files changed since a run of Facsimile recorded them, where nobody gains by
     * making a change go unseen: whoever can write those files can write the record too. The JDK computes
     * both checksums in native code from the first call, where a fresh JVM interprets SHA-256 until the
     * JIT compiles it: 80 ms for the 600 KB that the listings of 10,000 files give, 3 ms checksummed.
     * Two different generator polynomials, so a change must fool both.
     */
    public static Fingerprint checksum() {
        return new Fingerprint(new CRC32(), new CRC32C());
    }

    /** Adds a named value: a map, list, string, number, boolean, byte array, null, or anything by its text. */
    public Fingerprint add(String name, Object value) {
        text('k', name);
        value(value);
        return this;
    }

    /**
     * Adds a directory listing: the same bytes as {@link #add} of the list of each state's path,
     * kind, size, time, permissions and link, without boxing 60,000 values for a listing of 10,000.
     */
    public Fingerprint addListing(String name, List<FileState> states) {
        return addListing(name, states, state -> false);
    }

    /**
     * As {@link #addListing(String, List)}, with the size and time of each entry {@code contentApart}
     * selects left out (both read {@code -1}): what the listing says besides those entries' contents.
     */
    public Fingerprint addListing(String name, List<FileState> states, Predicate<FileState> contentApart) {
        text('k', name);
        length('l', states.size() * 6);
        for (FileState state : states) {
            boolean apart = contentApart.test(state);
            text('s', state.path());
            text('s', state.kind());
            number(apart ? -1 : state.size());
            number(apart ? -1 : state.modified());
            text('s', state.permissions());
            text('s', state.link());
        }
        return this;
    }

    /** A SHA-256 of a file's content, hex; {@code -} when there is no such file. */
    public static String content(Path file) {
        try {
            return HexFormat.of().formatHex(FileSha256.newDigest().digest(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return "-";
        } catch (IOException e) {
            throw IncrementalException.broken("cannot read " + file, e);
        }
    }

    /** The digest so far, in hex. */
    public String hex() {
        flush();
        if (digest == null) {
            return HexFormat.of().toHexDigits((crc32.getValue() << 32) | crc32c.getValue());
        }
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    private void value(Object value) {
        if (value == null) {
            put((byte) 'n');
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            length('m', sorted.size());
            sorted.forEach((k, v) -> {
                text('k', k);
                value(v);
            });
        } else if (value instanceof List<?> list) {
            length('l', list.size());
            list.forEach(this::value);
        } else if (value instanceof String text) {
            text('s', text);
        } else if (value instanceof Long number) {
            number(number);
        } else if (value instanceof byte[] bytes) {
            length('b', bytes.length);
            put(bytes);
        } else {
            // the class name keeps 1 (Integer), 1 (Long) and "1" apart: templates print them alike, but not always
            text('t', value.getClass().getName());
            text('v', value.toString());
        }
    }

    private void number(long v) {
        room(9);
        buffer[buffered++] = 'J';
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[buffered++] = (byte) (v >>> shift);
        }
    }

    private void text(char tag, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        length(tag, bytes.length);
        put(bytes);
    }

    private void put(byte b) {
        room(1);
        buffer[buffered++] = b;
    }

    /** Makes room for {@code n} more bytes (at most the buffer's size) in the buffer. */
    private void room(int n) {
        if (buffer.length - buffered < n) {
            flush();
        }
    }

    private void put(byte[] bytes) {
        if (bytes.length > buffer.length - buffered) {
            flush();
            if (bytes.length > buffer.length) {
                update(bytes, 0, bytes.length);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
        buffered += bytes.length;
    }

    private void flush() {
        update(buffer, 0, buffered);
        buffered = 0;
    }

    private void update(byte[] bytes, int offset, int length) {
        if (digest != null) {
            digest.update(bytes, offset, length);
        } else {
            crc32.update(bytes, offset, length);
            crc32c.update(bytes, offset, length);
        }
    }

    private void length(char tag, int length) {
        room(5);
        buffer[buffered++] = (byte) tag;
        buffer[buffered++] = (byte) (length >>> 24);
        buffer[buffered++] = (byte) (length >>> 16);
        buffer[buffered++] = (byte) (length >>> 8);
        buffer[buffered++] = (byte) length;
    }
}

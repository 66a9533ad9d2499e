package io.facsimile.core.install;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 over named values, for telling whether the inputs of a rendering changed. Maps are
 * taken in key order, so two equal trees give the same digest however they were built; every value
 * is tagged with its type and length, so no two different inputs run together into the same bytes.
 * Only the digest is kept: a secret fed in cannot be read back out of it.
 */
public final class Fingerprint {

    private final MessageDigest digest;
    /** Bytes not yet given to the digest: one update per byte costs more than the hashing itself. */
    private final byte[] buffer = new byte[8192];
    private int buffered;

    public Fingerprint() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Adds a named value: a map, list, string, number, boolean, byte array, null, or anything by its text. */
    public Fingerprint add(String name, Object value) {
        text('k', name);
        value(value);
        return this;
    }

    /** The digest so far, in hex. */
    public String hex() {
        try {
            flush();
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
            put((byte) 'J');
            long v = number;
            for (int shift = 56; shift >= 0; shift -= 8) {
                put((byte) (v >>> shift));
            }
        } else if (value instanceof byte[] bytes) {
            length('b', bytes.length);
            put(bytes);
        } else {
            // the class name keeps 1 (Integer), 1 (Long) and "1" apart: templates print them alike, but not always
            text('t', value.getClass().getName());
            text('v', value.toString());
        }
    }

    private void text(char tag, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        length(tag, bytes.length);
        put(bytes);
    }

    private void put(byte b) {
        if (buffered == buffer.length) {
            flush();
        }
        buffer[buffered++] = b;
    }

    private void put(byte[] bytes) {
        if (bytes.length > buffer.length - buffered) {
            flush();
            if (bytes.length > buffer.length) {
                digest.update(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
        buffered += bytes.length;
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }

    private void length(char tag, int length) {
        put((byte) tag);
        put((byte) (length >>> 24));
        put((byte) (length >>> 16));
        put((byte) (length >>> 8));
        put((byte) length);
    }
}

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
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    private void value(Object value) {
        if (value == null) {
            digest.update((byte) 'n');
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
        } else if (value instanceof byte[] bytes) {
            length('b', bytes.length);
            digest.update(bytes);
        } else {
            // the class name keeps 1 (Integer), 1 (Long) and "1" apart: templates print them alike, but not always
            text('t', value.getClass().getName());
            text('s', value.toString());
        }
    }

    private void text(char tag, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        length(tag, bytes.length);
        digest.update(bytes);
    }

    private void length(char tag, int length) {
        digest.update((byte) tag);
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
    }
}

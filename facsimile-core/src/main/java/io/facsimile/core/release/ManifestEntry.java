package io.facsimile.core.release;

import java.util.Objects;

/**
 * One file of a deploy tree as {@code manifest.json} lists it.
 *
 * <p>The constructor refuses values that could not have come from a scan: a path that is absolute,
 * empty, uses {@code \} or has a {@code .} or {@code ..} segment (the deploy engine writes to
 * {@code home/<path>} and must never be steered outside it by an edited manifest), a negative size,
 * a mode that is not four octal digits, or a digest that is not 64 lowercase hex digits.
 *
 * @param path the path relative to the deploy tree, with {@code /} separators
 * @param size the size in bytes
 * @param mode the POSIX permission bits as four octal digits, e.g. {@code 0644}
 * @param sha256 the lowercase hex SHA-256 of the content
 * @param sealed {@code true} when the attached bundle holds this file with secrets masked
 */
public record ManifestEntry(String path, long size, String mode, String sha256, boolean sealed) {

    public ManifestEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sha256, "sha256");
        String unsafe = EntryNames.problem(path);
        if (unsafe != null) {
            throw new IllegalArgumentException("manifest path \"" + path + "\" " + unsafe);
        }
        if (size < 0) {
            throw new IllegalArgumentException("manifest entry " + path + ": size must not be negative, found " + size);
        }
        if (!FileMode.isOctal(mode)) {
            throw new IllegalArgumentException(
                    "manifest entry " + path + ": mode must be four octal digits like 0644, found \"" + mode + "\"");
        }
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException(
                    "manifest entry " + path + ": sha256 must be 64 lowercase hex digits, found \"" + sha256 + "\"");
        }
    }

    // Checked by hand rather than by a regex (here and in FileMode.isOctal): a manifest of 10,000 entries
    // is read on every deploy, and the two matchers were a quarter of an unchanged redeploy.

    /** 64 lowercase hex digits, as a SHA-256 is written here. */
    public static boolean isSha256(String sha256) {
        if (sha256.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = sha256.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** A copy with {@link #sealed()} set as given. */
    public ManifestEntry withSealed(boolean value) {
        return new ManifestEntry(path, size, mode, sha256, value);
    }
}

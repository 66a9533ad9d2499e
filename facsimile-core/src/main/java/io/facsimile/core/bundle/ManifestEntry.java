package io.facsimile.core.bundle;

/**
 * One file of a deploy tree as {@code manifest.json} lists it.
 *
 * @param path the path relative to the deploy tree, with {@code /} separators
 * @param size the size in bytes
 * @param mode the POSIX permission bits as four octal digits, e.g. {@code 0644}
 * @param sha256 the lowercase hex SHA-256 of the content
 * @param sealed {@code true} when the attached bundle holds this file with secrets masked
 */
public record ManifestEntry(String path, long size, String mode, String sha256, boolean sealed) {}

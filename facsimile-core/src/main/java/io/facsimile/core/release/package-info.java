/**
 * A rendered release as a value: the names inside a release dir ({@link io.facsimile.core.release.ReleaseDir}),
 * the manifest of its deploy tree (every file with size, mode and SHA-256; scanned, computed from what is
 * about to be written, read and written atomically) and the one rule for names a manifest or an archive
 * may hold. Render writes it, {@code bundle} archives it, {@code deploy} stages and checks it on nodes;
 * it depends on none of them.
 */
package io.facsimile.core.release;

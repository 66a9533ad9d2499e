package io.facsimile.core.api;

import io.facsimile.core.release.Manifest;
import java.nio.file.Path;
import java.util.List;

/**
 * An instance as resolved and rendered by one run, into its release dir.
 *
 * @param secrets what to mask and search for: the modules' passwords and the state's, as resolving read them
 * @param written the manifest this run's render made for the release dir (and wrote, unless the file held
 *     those bytes already), or {@code null} when the release dir was found up to date: a deploy then reads it
 *     from the release dir
 */
record Rendered(ResolvedInstance resolved, Path releaseDir, List<String> secrets, WrittenManifest written) {

    /** An instance whose release dir this run found up to date. */
    Rendered(ResolvedInstance resolved, Path releaseDir, List<String> secrets) {
        this(resolved, releaseDir, secrets, null);
    }

    /**
     * The manifest a render wrote, with the bytes of its {@code manifest.json}: the deploy of the same run
     * takes it as it is, instead of reading back and parsing 10,000 entries it has just written.
     */
    record WrittenManifest(Manifest manifest, byte[] json) {}
}

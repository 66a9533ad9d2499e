package io.facsimile.core.bundle;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A release dir ready to be attached: secrets written as {@link Sealer#MASK} and a
 * {@code manifest.json} that marks those files sealed.
 *
 * @param root the directory to archive with {@link BundleWriter}
 * @param manifest the manifest written to {@code root/manifest.json}
 */
public record SealedTree(Path root, Manifest manifest) {

    public SealedTree {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(manifest, "manifest");
    }

    /** The deploy-tree paths whose content in this tree differs from the real release, sorted. */
    public SortedSet<String> sealedPaths() {
        return Collections.unmodifiableSortedSet(manifest.files().stream()
                .filter(ManifestEntry::sealed)
                .map(ManifestEntry::path)
                .collect(Collectors.toCollection(TreeSet::new)));
    }
}

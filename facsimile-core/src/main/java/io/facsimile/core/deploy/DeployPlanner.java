package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what a deploy does on one node from the new manifest, what the node holds and the spec.
 * Pure: no disk, no network, so that tests, dry run and diff can use it as is.
 */
public final class DeployPlanner {

    /** How many hex digits of the tree hash go into a release id. */
    public static final int HASH_DIGITS = 12;

    /**
     * Plans a deploy.
     *
     * @param version the project version
     * @param next the manifest of the tree to deploy
     * @param node what the node holds now
     * @param spec the deploy settings ({@code strategy}, {@code exclude}, {@code maxDelete})
     * @throws DeployException (a user error) when the tree uses a path the deploy reserves for itself,
     *     or when {@code sync} would delete more than {@code maxDelete} files
     */
    public DeployPlan plan(String version, Manifest next, NodeState node, DeploySpec spec) {
        Manifest target = target(next, spec);
        return planRelease(releaseId(version, target), target, node, spec);
    }

    /** {@link #plan} of what {@code source} deploys, its tree hash as the source records it. */
    public DeployPlan plan(ReleaseSource source, NodeState node, DeploySpec spec) {
        Manifest target = target(source.manifest(), spec);
        return planRelease(releaseId(source.version(), source.treeHash(target)), target, node, spec);
    }

    /**
     * What of {@code next} a deploy sends: every file but those {@code deploy.exclude} matches.
     *
     * @throws DeployException (a user error) when the tree uses a path the deploy reserves for itself
     */
    public Manifest target(Manifest next, DeploySpec spec) {
        ExcludeFilter exclude = new ExcludeFilter(spec.exclude());
        List<ManifestEntry> kept = new ArrayList<>();
        for (ManifestEntry e : next.files()) {
            if (Layout.isReserved(e.path())) {
                throw new DeployException("the deploy tree holds " + e.path() + ", but " + Layout.META_DIR + "/ and "
                        + Layout.LOCK_FILE + " are reserved for the deploy's own records; rename it in the templates");
            }
            if (!exclude.excludes(e.path())) {
                kept.add(e);
            }
        }
        return kept.size() == next.files().size() ? next : new Manifest(kept);
    }

    /**
     * Plans the deploy of {@code target}, already {@linkplain #target filtered}, as release {@code releaseId}.
     *
     * @throws DeployException (a user error) when {@code sync} would delete more than {@code maxDelete} files
     */
    public DeployPlan planRelease(String releaseId, Manifest target, NodeState node, DeploySpec spec) {
        boolean releases = spec.strategy() == Strategy.RELEASES;
        if (releases && node.currentRelease().filter(releaseId::equals).isPresent()) {
            // the live release is named by this tree's hash: every file is already there
            return new DeployPlan(
                    releaseId,
                    spec.strategy(),
                    target,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    target.files().size(),
                    0,
                    true);
        }
        ExcludeFilter exclude = new ExcludeFilter(spec.exclude());
        Map<String, ManifestEntry> live = new HashMap<>();
        Map<String, String> liveByContent = new HashMap<>();
        node.manifest()
                .ifPresent(m -> m.files().stream()
                        .filter(e -> !exclude.excludes(e.path()) && !Layout.isReserved(e.path()))
                        .forEach(e -> {
                            live.put(e.path(), e);
                            liveByContent.putIfAbsent(contentKey(e), e.path());
                        }));

        List<ManifestEntry> send = new ArrayList<>();
        List<DeployPlan.Reuse> reuse = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int unchanged = 0;
        long bytes = 0;
        for (ManifestEntry e : target.files()) {
            ManifestEntry old = live.get(e.path());
            boolean same = old != null && contentKey(old).equals(contentKey(e));
            if (same) {
                unchanged++;
            } else if (old == null) {
                added.add(e.path());
            } else {
                changed.add(e.path());
            }
            // A new release starts empty: what is already on the node is linked from the current
            // release, matched by content so that a moved file is not sent again. Sync leaves
            // unchanged files where they are.
            String from = same ? e.path() : liveByContent.get(contentKey(e));
            if (releases && from != null && node.currentRelease().isPresent()) {
                reuse.add(new DeployPlan.Reuse(e, from));
            } else if (!same || releases) {
                send.add(e);
                bytes += e.size();
            }
        }
        Map<String, ManifestEntry> nextByPath = target.byPath();
        List<String> remove = live.keySet().stream()
                .filter(p -> !nextByPath.containsKey(p))
                .sorted()
                .toList();
        if (!releases
                && spec.maxDelete().isPresent()
                && remove.size() > spec.maxDelete().getAsInt()) {
            throw new DeployException("the deploy would delete " + remove.size()
                    + " files, more than deploy.maxDelete (" + spec.maxDelete().getAsInt()
                    + "); check deploy.home and the deploy tree, or raise deploy.maxDelete");
        }
        boolean upToDate = releases
                ? node.currentRelease().filter(releaseId::equals).isPresent()
                : node.manifest().isPresent() && added.isEmpty() && changed.isEmpty() && remove.isEmpty();
        return new DeployPlan(
                releaseId, spec.strategy(), target, send, reuse, remove, added, changed, unchanged, bytes, upToDate);
    }

    /** {@code <version>-<first 12 hex digits of the tree hash>}. */
    public static String releaseId(String version, Manifest tree) {
        return releaseId(version, tree.treeHash());
    }

    /** {@code <version>-<first 12 hex digits of treeHash>}. */
    static String releaseId(String version, String treeHash) {
        return version + "-" + treeHash.substring(0, HASH_DIGITS);
    }

    private static String contentKey(ManifestEntry e) {
        return e.sha256() + ":" + e.mode();
    }
}

package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the release that pruning would remove after this deploy the new release's staging directory:
 * its files that the new release holds with the same content and mode stay where they are, so a
 * redeploy of 10,000 files with one changed neither copies 9,999 files nor deletes 10,000 afterwards.
 *
 * <p>The old release is checked against its own manifest first (its quick-check record, or by content
 * with {@code checksum}); a file that fails is removed, never kept. A release holding anything its
 * manifest does not account for (a link, an extra file, a directory where a file was) is not recycled
 * and is pruned as before. Every release still has its own inodes: the recycled files belonged to the
 * old release alone.
 */
final class ReleaseRecycler {

    /**
     * A release turned into a staging directory.
     *
     * @param release the release it was
     * @param kept the paths of its files the new release keeps as they are
     * @param removals what is to be removed from it before the new release's files are written: files,
     *     whole directories, its records
     */
    record Recycled(String release, Set<String> kept, List<String> removals) {}

    private final ReleaseCheck check;

    ReleaseRecycler(ReleaseCheck check) {
        this.check = check;
    }

    /**
     * Checks release {@code old} and, when it is fit and shares files with {@code target}, renames it to
     * {@code partial}; the caller removes what the new release does not keep of it, in the step that
     * writes the new files where the transport can.
     *
     * @param own the old release's manifest, already matched against its name
     * @return what was kept, or empty when the release is left alone
     */
    Optional<Recycled> recycle(
            NodeRun run, String old, Manifest own, Manifest target, String partial, boolean checksum) {
        Transport t = run.transport;
        ReleaseCheck.Drift drift;
        try {
            drift = check.check(t, Layout.release(old), own, checksum);
        } catch (DeployException e) {
            run.warn("not recycling release " + old + ": " + e.getMessage());
            return Optional.empty();
        }
        if (!drift.present() || !drift.extra().isEmpty()) {
            return Optional.empty();
        }
        Set<String> missing = new HashSet<>(drift.missing());
        Set<String> bad = new HashSet<>(drift.changed());
        bad.addAll(missing);
        Map<String, ManifestEntry> wanted = target.byPath();
        Set<String> obsolete = own.directories();
        obsolete.removeAll(target.directories());
        Set<String> kept = new HashSet<>();
        List<String> removals = new ArrayList<>();
        for (ManifestEntry e : own.files()) {
            ManifestEntry w = wanted.get(e.path());
            if (!bad.contains(e.path())
                    && w != null
                    && w.sha256().equals(e.sha256())
                    && w.mode().equals(e.mode())) {
                kept.add(e.path());
            } else if (!missing.contains(e.path()) && !Layout.isBelowAny(e.path(), obsolete)) {
                removals.add(e.path());
            }
        }
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        for (String d : obsolete) {
            if (!Layout.isBelowAny(d, obsolete)) {
                removals.add(d);
            }
        }
        // its manifest, quick-check record and anything else of its own: the new release writes its own
        removals.add(Layout.META_DIR);
        run.info("recycling release " + old + ", due for pruning, as the new release: " + kept.size()
                + " of its files stay, " + (removals.size() - 1) + " removed");
        t.rename(Layout.release(old), partial);
        return Optional.of(new Recycled(old, kept, List.copyOf(removals)));
    }
}

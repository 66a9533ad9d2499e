package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.util.List;

/**
 * What a deploy does on one node, decided before anything is touched. Dry run prints it, diff adds
 * content to it, the engine carries it out.
 *
 * @param releaseId {@code <version>-<first 12 hex digits of the tree hash>}
 * @param strategy how the tree lands
 * @param manifest the tree as it will be live on the node (excluded files left out)
 * @param send files to upload from this machine
 * @param reuse files already on the node (in the current release) that are linked or copied there
 * @param remove paths that will no longer be live: deleted for {@code sync}, left behind in the old
 *     release for {@code releases}
 * @param added paths that are new
 * @param changed paths whose content or mode changes
 * @param unchanged how many files stay as they are
 * @param bytesToSend the total size of {@code send}
 * @param upToDate {@code true} when the node already has exactly this tree live: the deploy is a no-op
 */
public record DeployPlan(
        String releaseId,
        Strategy strategy,
        Manifest manifest,
        List<ManifestEntry> send,
        List<Reuse> reuse,
        List<String> remove,
        List<String> added,
        List<String> changed,
        int unchanged,
        long bytesToSend,
        boolean upToDate) {

    /**
     * A file of the new tree whose content is already on the node.
     *
     * @param entry the file in the new tree
     * @param from its path in the current release
     */
    public record Reuse(ManifestEntry entry, String from) {}

    public DeployPlan {
        send = List.copyOf(send);
        reuse = List.copyOf(reuse);
        remove = List.copyOf(remove);
        added = List.copyOf(added);
        changed = List.copyOf(changed);
    }

    /** One line for humans: what this plan sends, reuses and removes. */
    public String summary() {
        if (upToDate) {
            return "release " + releaseId + " is already live, nothing to do";
        }
        return String.format(
                java.util.Locale.ROOT,
                "release %s: %d added, %d changed, %d removed, %d unchanged; %d files (%d bytes) to send, %d reused",
                releaseId,
                added.size(),
                changed.size(),
                remove.size(),
                unchanged,
                send.size(),
                bytesToSend,
                reuse.size());
    }
}

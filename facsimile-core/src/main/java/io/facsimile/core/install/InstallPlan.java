package io.facsimile.core.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an install will produce: every file of the release dir (except {@code manifest.json}), each
 * destination once, in the order the groups produced them. Files of the release dir that are not in
 * the plan are stale and removed when the plan is executed.
 *
 * @param releaseDir the release dir the destinations are relative to
 * @param actions the actions, one per destination
 */
public record InstallPlan(Path releaseDir, List<InstallAction> actions) {

    public InstallPlan {
        Objects.requireNonNull(releaseDir, "releaseDir");
        actions = List.copyOf(actions);
    }

    /** The destinations, in plan order. */
    public List<String> destinations() {
        return actions.stream().map(InstallAction::destination).toList();
    }
}

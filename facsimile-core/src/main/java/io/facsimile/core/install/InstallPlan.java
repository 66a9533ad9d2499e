package io.facsimile.core.install;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an install will produce: every file of the release dir (except {@code manifest.json}), each
 * destination once, in the order the groups produced them. Files of the release dir that are not in
 * the plan are stale and removed when the plan is executed.
 *
 * @param releaseDir the release dir the destinations are relative to
 * @param actions the actions, one per destination
 * @param modes the mode an install group set ({@code mode:}, {@code modes:}) per destination; a destination
 *     not in it keeps its source's permissions
 * @param looked what the plan depends on without reading it: the optional files it found absent and the
 *     directories it walked or found absent ({@code dir:} of a copy, a template directory and its selection
 *     directories), whose later change (a file that appears) changes the plan
 */
public record InstallPlan(
        Path releaseDir, List<InstallAction> actions, Map<String, Set<PosixFilePermission>> modes, List<Path> looked) {

    public InstallPlan {
        Objects.requireNonNull(releaseDir, "releaseDir");
        actions = List.copyOf(actions);
        modes = Map.copyOf(modes);
        looked = List.copyOf(looked);
    }

    /** A plan whose groups set the given modes and looked at nothing but what it reads. */
    public InstallPlan(Path releaseDir, List<InstallAction> actions, Map<String, Set<PosixFilePermission>> modes) {
        this(releaseDir, actions, modes, List.of());
    }

    /** A plan whose groups set no mode. */
    public InstallPlan(Path releaseDir, List<InstallAction> actions) {
        this(releaseDir, actions, Map.of());
    }

    /** What a rendering of the plan depends on: the {@link #sources()} it reads, then what it {@link #looked} at. */
    public List<Path> inputs() {
        List<Path> inputs = sources();
        inputs.addAll(looked);
        return inputs;
    }

    /** The files the plan reads: each template it renders and each file it copies, in plan order. */
    public List<Path> sources() {
        List<Path> sources = new ArrayList<>();
        for (InstallAction action : actions) {
            Path source = action instanceof InstallAction.Render render
                    ? render.template()
                    : action instanceof InstallAction.Copy copy ? copy.source() : null;
            if (source != null) {
                sources.add(source);
            }
        }
        return sources;
    }

    /** The destinations, in plan order. */
    public List<String> destinations() {
        return actions.stream().map(InstallAction::destination).toList();
    }
}

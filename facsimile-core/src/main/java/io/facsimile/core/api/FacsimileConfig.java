package io.facsimile.core.api;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.state.StateEncryption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where Facsimile reads and writes for one project.
 *
 * @param project the project
 * @param definitionsDirectory the definitions directory, or {@code null} to use {@code src/main/facsimile}
 *     (or {@code config/facsimile} when only that exists)
 * @param sharedDirectories extra directories of shared layers, searched first with lower precedence
 * @param stateDirectory where generated state is kept, per state name
 * @param releaseRoot where release dirs are rendered, one per instance ({@code target/facsimile})
 * @param stateEncryption encrypted states: their directory, this machine's keys, the recipients of a new
 *     state; {@code null} for {@code <definitions directory>/state}, no keys and no recipients
 */
public record FacsimileConfig(
        ProjectContext project,
        Path definitionsDirectory,
        List<Path> sharedDirectories,
        Path stateDirectory,
        Path releaseRoot,
        StateEncryption stateEncryption) {

    /** A configuration without state encryption settings. */
    public FacsimileConfig(
            ProjectContext project,
            Path definitionsDirectory,
            List<Path> sharedDirectories,
            Path stateDirectory,
            Path releaseRoot) {
        this(project, definitionsDirectory, sharedDirectories, stateDirectory, releaseRoot, null);
    }

    public FacsimileConfig {
        Objects.requireNonNull(project, "project");
        sharedDirectories = List.copyOf(sharedDirectories);
        stateDirectory =
                stateDirectory != null ? stateDirectory : project.basedir().resolve(".facsimile/state");
        releaseRoot =
                releaseRoot != null ? releaseRoot : project.buildDirectory().resolve("facsimile");
    }

    /** The defaults for a project: conventional definitions directory, state and release locations. */
    public static FacsimileConfig defaults(ProjectContext project) {
        return new FacsimileConfig(project, null, List.of(), null, null);
    }
}

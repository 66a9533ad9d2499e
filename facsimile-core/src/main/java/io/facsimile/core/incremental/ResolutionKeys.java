package io.facsimile.core.incremental;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionSources;
import io.facsimile.core.state.StateException;
import io.facsimile.core.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Takes the {@link ResolutionKey} of an instance: once it is resolved, from what it was resolved
 * from; and again, before resolving anything, from the state name and environment variables a stamp
 * names, the state file as it is now and the run's listing. Environment values go into the digest
 * only, never into the stamp.
 */
public final class ResolutionKeys {

    private final ProjectContext project;
    private final Path releaseRoot;
    private final String os;
    private final DefinitionSources sources;
    private final StateStore states;

    /**
     * @param releaseRoot where the run's release dirs are
     * @param os the operating system the run renders for, as install groups' {@code os:} names it
     */
    public ResolutionKeys(
            ProjectContext project, Path releaseRoot, String os, DefinitionSources sources, StateStore states) {
        this.project = project;
        this.releaseRoot = releaseRoot;
        this.os = os;
        this.sources = sources;
        this.states = states;
    }

    /**
     * The key of a resolved definition.
     *
     * @param stateDigest the digest of the state file as its session read or wrote it
     */
    public ResolutionKey of(Definition definition, String stateDigest, SourceFiles files) {
        return key(
                definition.instance(),
                definition.stateName(),
                stateDigest,
                List.copyOf(definition.environment()),
                files);
    }

    /**
     * The key {@code recorded} would have now: the instance resolves as it did when they are equal.
     * {@code null} when the state cannot be read: resolving reports why.
     */
    public ResolutionKey again(String instance, ResolutionKey recorded, SourceFiles files) {
        String stateDigest;
        try {
            stateDigest = states.digest(recorded.stateName());
        } catch (StateException e) {
            return null;
        }
        return key(instance, recorded.stateName(), stateDigest, recorded.environment(), files);
    }

    private ResolutionKey key(
            String instance, String stateName, String stateDigest, List<String> environment, SourceFiles files) {
        Map<String, String> values = new TreeMap<>();
        environment.forEach(name -> values.put(name, project.environment().get(name)));
        List<String> directories = new ArrayList<>();
        sources.searchOrder()
                .forEach(directory -> directories.add(directory.toAbsolutePath().toString()));
        Fingerprint fingerprint = RenderInputs.builder()
                .add("instance", instance)
                .add("directories", directories)
                .add("stateDirectory", states.stateDirectory().toAbsolutePath().toString())
                .add("releaseRoot", releaseRoot.toAbsolutePath().toString())
                .add("project", project(project))
                .add("os", os)
                .add("state", Arrays.asList(stateName, stateDigest))
                .add("environment", values);
        return ResolutionKey.of(fingerprint, files, stateName, environment);
    }

    /** What of the project goes into a fingerprint: all of it but the environment, of which only what is named counts. */
    public static List<Object> project(ProjectContext project) {
        return Arrays.asList(
                path(project.basedir()),
                path(project.buildDirectory()),
                project.groupId(),
                project.artifactId(),
                project.version(),
                project.projectName(),
                project.properties());
    }

    private static String path(Path path) {
        return path.toAbsolutePath().toString();
    }
}

package io.facsimile.core.incremental;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionSources;
import io.facsimile.core.state.StateException;
import io.facsimile.core.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Takes the {@link ResolutionKey} of an instance: once it is resolved, from what it was resolved
 * from; and again, before resolving anything, from the state name and environment variables a stamp
 * names, the state file as it is now and the run's listing. Environment values go into the digest
 * only, never into the stamp.
 */
public final class ResolutionKeys {

    private final ProjectContext project;
    private final Path releaseRoot;
    private final String platform;
    private final DefinitionSources sources;
    private final StateStore states;

    /**
     * @param releaseRoot where the run's release dirs are
     * @param platform what of the machine the run renders on its output may depend on
     */
    public ResolutionKeys(
            ProjectContext project, Path releaseRoot, String platform, DefinitionSources sources, StateStore states) {
        this.project = project;
        this.releaseRoot = releaseRoot;
        this.platform = platform;
        this.sources = sources;
        this.states = states;
    }

    /**
     * The key of a resolved definition whose rendering also read {@code alsoRead} (see {@link #inputNames}).
     *
     * @param stateDigest the digest of the state file as its session read or wrote it
     */
    public ResolutionKey of(Definition definition, String stateDigest, SourceFiles files, Collection<String> alsoRead) {
        return key(definition.instance(), definition.stateName(), stateDigest, inputNames(definition, alsoRead), files);
    }

    /**
     * The inputs a key of {@code definition} names when its rendering also read {@code alsoRead} (the project
     * properties its templates read, {@link ProjectContext#propertyInput}): those and the definition's own
     * environment variables and properties, sorted, as {@link ResolutionKey#environment} holds them.
     */
    public static List<String> inputNames(Definition definition, Collection<String> alsoRead) {
        Set<String> names = new TreeSet<>(definition.environment());
        names.addAll(alsoRead);
        return List.copyOf(names);
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
        Map<String, String> values = inputs(project, environment);
        List<String> directories = new ArrayList<>();
        sources.searchOrder()
                .forEach(directory -> directories.add(directory.toAbsolutePath().toString()));
        Fingerprint fingerprint = RenderInputs.builder()
                .add("instance", instance)
                .add("directories", directories)
                .add("stateDirectory", states.stateDirectory().toAbsolutePath().toString())
                .add("releaseRoot", releaseRoot.toAbsolutePath().toString())
                .add("project", project(project))
                .add("platform", platform)
                .add("state", Arrays.asList(stateName, stateDigest))
                .add("environment", values);
        return ResolutionKey.of(fingerprint, files, stateName, environment);
    }

    /**
     * What of the project goes into a fingerprint: all of it but the environment and the properties, of
     * which only what a rendering read counts (see {@link #inputs}).
     */
    public static List<Object> project(ProjectContext project) {
        return Arrays.asList(
                path(project.basedir()),
                path(project.buildDirectory()),
                project.groupId(),
                project.artifactId(),
                project.version(),
                project.projectName());
    }

    /** The values of the inputs {@code names} (environment variables, project properties), by name. */
    public static Map<String, String> inputs(ProjectContext project, Collection<String> names) {
        Map<String, String> values = new TreeMap<>();
        names.forEach(name -> values.put(name, project.input(name)));
        return values;
    }

    private static String path(Path path) {
        return path.toAbsolutePath().toString();
    }
}

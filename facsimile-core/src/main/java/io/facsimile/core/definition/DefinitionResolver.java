package io.facsimile.core.definition;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.format.Document;
import io.facsimile.core.definition.format.DocumentException;
import io.facsimile.core.definition.format.DocumentReader;
import io.facsimile.core.definition.format.Origin;
import io.facsimile.core.text.Quoted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Resolves the definition of an instance from the layer files of a project.
 *
 * <p>For instance {@code a.b.c} the layers are, in order (later wins): {@code facsimile}, the
 * project name, {@code a}, {@code b}, {@code c}, then {@code a.b.c} itself. Each name is looked up
 * in every shared directory, then in the definitions directory; a layer's {@code inherit} names
 * layers applied before it. The merged tree is then interpolated (see {@link TreeMerge} for the
 * merge rule). The top-level {@code inherit} key is consumed and never appears in the result.
 *
 * <p>Files are read on every call, so a resolver sees edits; it holds no mutable state and may be
 * shared between threads.
 */
public final class DefinitionResolver {

    /** The base layer every instance starts from. */
    public static final String BASE_LAYER = "facsimile";

    /** The file name (without extension) of the project's module list. */
    public static final String MODULES = "modules";

    /** The top-level key that names a shared state. */
    public static final String STATE = "state";

    private final LayerCatalog catalog;
    private final ProjectContext project;

    public DefinitionResolver(DefinitionSources sources, ProjectContext project) {
        this.catalog = new LayerCatalog(Objects.requireNonNull(sources, "sources"));
        this.project = Objects.requireNonNull(project, "project");
    }

    /**
     * The merged and interpolated definition of an instance.
     *
     * @throws DefinitionException when the name is invalid, no instance-specific layer exists (the
     *     message lists the instances that do), or a layer cannot be read, merged or interpolated
     */
    public Definition resolve(String instance) {
        return resolve(instance, DocumentReader::read);
    }

    /**
     * As {@link #resolve(String)}, reading layer files with {@code reader}: a run that resolves many
     * instances may parse each shared layer once (a parsed document is never changed by merging).
     */
    public Definition resolve(String instance, Function<Path, Document> reader) {
        List<String> segments = InstanceName.segments(instance);
        for (String segment : segments) {
            if (segment.equals(BASE_LAYER) || segment.equals(MODULES)) {
                throw new DefinitionException(
                        "invalid instance name '" + instance + "': '" + segment + "' is a reserved layer name");
            }
        }
        catalog.checkDirectories(true);
        Set<String> specific = new LinkedHashSet<>(segments);
        specific.add(instance);
        // The project layer applies to every instance, so it does not make one exist.
        if (specific.stream()
                .filter(name -> !name.equals(project.projectName()))
                .allMatch(name -> catalog.files(name).isEmpty())) {
            throw unknownInstance(instance);
        }

        LayeredTree tree = new LayeredTree();
        LayerLoader loader = new LayerLoader(catalog, tree, reader);
        loader.load(BASE_LAYER);
        loader.load(project.projectName());
        specific.forEach(loader::load);

        Path fallbackFile = tree.layers().isEmpty()
                ? catalog.sources().directory()
                : tree.layers().get(0).file();
        Interpolator interpolator = new Interpolator(tree, fallbackFile, project, instance);
        var interpolated = interpolator.interpolate();
        return new ResolvedDefinition(
                instance,
                stateName(interpolated.get(STATE), tree, instance),
                tree.layers(),
                interpolated,
                tree.origins(),
                tree.history(),
                interpolator.environment());
    }

    /**
     * {@code true} when the layer files make {@code instance} an instance: a layer file has its whole name,
     * or every one of its segments has one. {@link #resolve} accepts more (one specific layer is enough);
     * {@link KnownInstances} uses this to refuse mistyped names.
     */
    public boolean derivable(String instance) {
        InstanceName.segments(instance);
        return !catalog.files(instance).isEmpty()
                || segmentsWithoutLayer(instance).isEmpty();
    }

    /** The segments of {@code instance} that no layer file names, in order. */
    List<String> segmentsWithoutLayer(String instance) {
        return InstanceName.segments(instance).stream()
                .filter(segment -> catalog.files(segment).isEmpty())
                .toList();
    }

    /**
     * The instances that exist, sorted. An instance is the name of a layer file in any of the
     * directories, except:
     * <ul>
     *   <li>{@code facsimile}, the project name and {@code modules};
     *   <li>regions: single-segment names that appear as a later segment of a dotted file name
     *       ({@code eu1} when {@code prod.eu1.yaml} exists);
     *   <li>building blocks: names some layer lists in {@code inherit}, unless a dotted file name
     *       starts with them (then they are an instance family, like {@code prod}).
     * </ul>
     * This lists what a user would deploy; {@link #resolve} still accepts any name that has a layer.
     */
    public List<String> instances() {
        catalog.checkDirectories(false);
        SortedSet<String> names = catalog.names();
        Set<String> regions = new HashSet<>();
        Set<String> families = new HashSet<>();
        for (String name : names) {
            List<String> segments = List.of(name.split("\\."));
            if (segments.size() > 1) {
                families.add(segments.get(0));
                regions.addAll(segments.subList(1, segments.size()));
            }
        }
        Set<String> inherited = new HashSet<>();
        for (String name : names) {
            if (!name.equals(MODULES) && InstanceName.isValid(name)) {
                for (Path file : catalog.files(name)) {
                    inherited.addAll(LayerLoader.inheritedNames(DocumentReader.read(file)));
                }
            }
        }
        List<String> instances = new ArrayList<>();
        for (String name : names) {
            boolean reserved = name.equals(BASE_LAYER) || name.equals(project.projectName()) || name.equals(MODULES);
            boolean region = !name.contains(".") && regions.contains(name);
            boolean buildingBlock = inherited.contains(name) && !families.contains(name);
            if (!reserved && !region && !buildingBlock && InstanceName.isValid(name)) {
                instances.add(name);
            }
        }
        return List.copyOf(new TreeSet<>(instances));
    }

    /**
     * The project's module list, {@code modules.{yaml,yml,json,toml}} in the definitions directory, if
     * there is one. Its root is expected to be a list; checking that is the module package's job.
     */
    public Optional<Document> modules() {
        return modules(DocumentReader::read);
    }

    /** As {@link #modules()}, reading the file with {@code reader}. */
    public Optional<Document> modules(Function<Path, Document> reader) {
        return modulesFile().map(reader);
    }

    /** The file of the project's module list, if there is one. */
    public Optional<Path> modulesFile() {
        return LayerCatalog.fileIn(catalog.sources().directory(), MODULES);
    }

    /** The sources this resolver reads. */
    public DefinitionSources sources() {
        return catalog.sources();
    }

    private DefinitionException unknownInstance(String instance) {
        List<String> known;
        try {
            known = instances();
        } catch (DefinitionException | DocumentException e) {
            return new DefinitionException(
                    "unknown instance '" + instance + "'; listing the instances failed too: " + e.getMessage());
        }
        String listing = known.isEmpty()
                ? "no instances are defined in " + catalog.sources().directory() + "; add a file such as dev.yaml"
                : "instances: " + String.join(", ", known);
        return new DefinitionException(
                "unknown instance '" + instance + "': no layer file for it or its segments; " + listing);
    }

    private static String stateName(Object state, LayeredTree tree, String instance) {
        if (state == null) {
            return instance;
        }
        if (state instanceof String name && InstanceName.isValid(name)) {
            return name;
        }
        Origin origin = tree.origins().get(List.of(STATE));
        throw new DefinitionException(origin + ": state must be a state name (segments of letters, digits, '_'"
                + " and '-', like dev or shop.dev), found " + Quoted.describe(state));
    }
}

package io.facsimile.core.template;

import io.facsimile.core.ProjectContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything templates of one instance may see, as plain data. Collections are copied deeply and
 * made unmodifiable, so a template cannot change what the next template sees.
 *
 * @param definition the merged definition tree (nested maps, lists, strings, numbers, booleans)
 * @param modules module key → resolved module fields ({@code name}, {@code username}, {@code password}, …)
 * @param services every service instance of every module
 * @param project the project; its environment variables are not exposed to templates
 * @param instance the instance name, e.g. {@code prod.eu1}
 * @param layers the definition files that made the instance, in the order they were applied
 * @param releaseDir the release dir of the instance ({@code target/facsimile/<instance>})
 * @param propertyReads told which project properties the templates read
 */
public record RenderModel(
        Map<String, Object> definition,
        Map<String, Map<String, Object>> modules,
        List<Map<String, Object>> services,
        ProjectContext project,
        String instance,
        List<String> layers,
        Path releaseDir,
        PropertyReads propertyReads) {

    /** Name of the deploy tree inside the release dir. */
    public static final String DEPLOY_TREE = "_DEPLOY_";

    public RenderModel {
        definition = FrozenData.copyMap(Objects.requireNonNull(definition, "definition"));
        Map<String, Map<String, Object>> frozenModules =
                FrozenData.newMapLike(Objects.requireNonNull(modules, "modules"));
        modules.forEach((key, module) -> frozenModules.put(key, FrozenData.copyMap(module)));
        modules = Collections.unmodifiableMap(frozenModules);
        List<Map<String, Object>> frozenServices = new ArrayList<>();
        Objects.requireNonNull(services, "services")
                .forEach(service -> frozenServices.add(FrozenData.copyMap(service)));
        services = Collections.unmodifiableList(frozenServices);
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(instance, "instance");
        layers = List.copyOf(layers);
        Objects.requireNonNull(releaseDir, "releaseDir");
        Objects.requireNonNull(propertyReads, "propertyReads");
    }

    /** The deploy tree, {@code <releaseDir>/_DEPLOY_}. */
    public Path deployDir() {
        return releaseDir.resolve(DEPLOY_TREE);
    }
}

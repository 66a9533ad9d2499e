package io.facsimile.core.definition;

import io.facsimile.core.definition.format.Origin;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The immutable {@link Definition} a {@link DefinitionResolver} returns.
 *
 * @param origins the origin of every value in {@code tree}, by path
 * @param histories every value a layer wrote, by path, in layer order
 * @param environment the environment variables its references looked up
 */
record ResolvedDefinition(
        String instance,
        String stateName,
        List<Layer> layers,
        Map<String, Object> tree,
        Map<List<String>, Origin> origins,
        Map<List<String>, List<Contribution>> histories,
        Set<String> environment)
        implements Definition {

    ResolvedDefinition {
        layers = List.copyOf(layers);
        tree = Frozen.map(tree);
        origins = Map.copyOf(origins);
        environment = Collections.unmodifiableSet(new TreeSet<>(environment));
        histories = histories.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    @Override
    public Optional<Object> get(String path) {
        return DottedPath.get(tree, DottedPath.split(path));
    }

    @Override
    public Optional<Origin> origin(String path) {
        List<String> steps = DottedPath.split(path);
        return DottedPath.get(tree, steps).map(value -> origins.get(steps));
    }

    @Override
    public List<Contribution> history(String path) {
        return histories.getOrDefault(DottedPath.split(path), List.of());
    }
}

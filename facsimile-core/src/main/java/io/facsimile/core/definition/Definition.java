package io.facsimile.core.definition;

import io.facsimile.core.definition.format.Origin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merged, interpolated definition of one instance. Immutable. The tree holds only
 * {@code Map<String,Object>} (insertion ordered), {@code List<Object>}, {@code String},
 * {@code Boolean}, numbers ({@code Integer}, {@code Long}, {@code BigInteger}, {@code Double},
 * {@code BigDecimal}); no nulls (an explicit null removed its key while merging).
 *
 * <p>Paths are dotted ({@code deploy.nodes.db}); list elements are addressed by index
 * ({@code deploy.postcmd.0}).
 */
public interface Definition {

    /** The instance name as given, e.g. {@code prod.eu1}. */
    String instance();

    /** The state name: the top-level {@code state} key when a layer sets it, else the instance name. */
    String stateName();

    /** The layers that contributed, in the order they were applied (later wins). */
    List<Layer> layers();

    /** The merged tree, deeply unmodifiable. */
    Map<String, Object> tree();

    /** The value at a dotted path. */
    Optional<Object> get(String path);

    /** The value at a path given step by step, for keys that hold a dot ({@code modes: {"*.sh": …}}). */
    default Optional<Object> get(List<String> path) {
        return DottedPath.get(tree(), path);
    }

    /** Where the winning value at a dotted path was written. */
    Optional<Origin> origin(String path);

    /**
     * Every value that a layer set at this path, in layer order; the last one is the winner
     * (unless a later layer removed it with {@code null}, which appears as a contribution with a
     * {@code null} value).
     */
    List<Contribution> history(String path);

    /**
     * The environment variables its values looked up with {@code ${env.NAME}}, and the project properties
     * they looked up with {@code ${prop.NAME}} (as {@link io.facsimile.core.ProjectContext#propertyInput}
     * names them), set or not, sorted (a fallback that was not taken is not looked up): with the layers,
     * the state and the project, what it was resolved from.
     */
    Set<String> environment();

    /** One layer file that contributed to a definition. */
    record Layer(String name, java.nio.file.Path file) {}

    /** One value a layer wrote at a path, before later layers shadowed it (raw, not interpolated). */
    record Contribution(Origin origin, Object value) {}
}

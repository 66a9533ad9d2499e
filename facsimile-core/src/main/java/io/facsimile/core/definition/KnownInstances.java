package io.facsimile.core.definition;

import io.facsimile.core.text.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The instance names a run accepts: those configured for the project, and those its layer files derive
 * (the whole name, or every one of its segments, has a layer file). A mistyped name is refused with the
 * nearest known one before anything is resolved or written: a name with a single known segment
 * ({@code prod.eu2}) would otherwise resolve and get a state of its own, with new passwords.
 */
public final class KnownInstances {

    private final DefinitionResolver resolver;
    private final List<String> configured;
    private final Supplier<List<String>> derived;
    private List<String> derivedOnce;

    /** @param configured the instances the project names (empty: none named) */
    public KnownInstances(DefinitionResolver resolver, List<String> configured) {
        this(resolver, configured, resolver::instances);
    }

    /**
     * @param configured the instances the project names (empty: none named)
     * @param derived the instances the layer files derive, as {@link DefinitionResolver#instances()} finds
     *     them (or a record of that); asked at most once
     */
    public KnownInstances(DefinitionResolver resolver, List<String> configured, Supplier<List<String>> derived) {
        this.resolver = resolver;
        this.configured = List.copyOf(configured);
        this.derived = derived;
    }

    /** The instances to show a person: the configured ones, else those the definitions directories hold. */
    public List<String> listing() {
        return configured.isEmpty() ? derived() : configured;
    }

    private List<String> derived() {
        if (derivedOnce == null) {
            derivedOnce = List.copyOf(derived.get());
        }
        return derivedOnce;
    }

    /**
     * Returns {@code instance} when it is configured or derivable.
     *
     * @throws DefinitionException naming the segments without a layer, the nearest known instance and
     *     the instances there are
     */
    public String check(String instance) {
        if (configured.contains(instance) || resolver.derivable(instance)) {
            return instance;
        }
        List<String> missing = resolver.segmentsWithoutLayer(instance);
        Set<String> candidates = new LinkedHashSet<>(configured);
        candidates.addAll(derived());
        List<String> listing = listing();
        throw new DefinitionException("unknown instance '" + instance + "': "
                + (configured.isEmpty() ? "" : "not one of the configured instances, and ")
                + "no layer file "
                + String.join(", ", missing.stream().map(s -> s + ".yaml").toList())
                + Suggestions.didYouMean(instance, candidates) + "; "
                + (listing.isEmpty()
                        ? "no instances are defined; add a file such as dev.yaml"
                        : "instances: " + String.join(", ", listing)));
    }
}

package io.facsimile.core.definition;

import io.facsimile.core.text.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The instance names a run accepts: those configured for the project, and those its layer files derive
 * (the whole name, or every one of its segments, has a layer file). A mistyped name is refused with the
 * nearest known one before anything is resolved or written: a name with a single known segment
 * ({@code prod.eu2}) would otherwise resolve and get a state of its own, with new passwords.
 */
public final class KnownInstances {

    private final DefinitionResolver resolver;
    private final List<String> configured;

    /** @param configured the instances the project names (empty: none named) */
    public KnownInstances(DefinitionResolver resolver, List<String> configured) {
        this.resolver = resolver;
        this.configured = List.copyOf(configured);
    }

    /** The instances to show a person: the configured ones, else those the definitions directories hold. */
    public List<String> listing() {
        return configured.isEmpty() ? resolver.instances() : configured;
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
        candidates.addAll(resolver.instances());
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

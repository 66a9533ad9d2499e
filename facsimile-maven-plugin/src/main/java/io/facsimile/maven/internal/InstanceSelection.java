package io.facsimile.maven.internal;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.definition.KnownInstances;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;

/**
 * How {@code <instances>}, {@code -Dfacsimile.instances} and {@code -Dinstance} combine, the same for
 * every goal: the list property replaces {@code <instances>} for goals that work on many instances;
 * {@code -Dinstance} chooses the instance of goals that work on one and narrows nothing else. Every name
 * typed on the command line is checked before anything is resolved.
 */
public final class InstanceSelection {

    private final KnownInstances known;
    private final List<String> configured;
    private final List<String> typed;

    private InstanceSelection(KnownInstances known, List<String> configured, List<String> typed) {
        this.known = known;
        this.configured = configured;
        this.typed = typed;
    }

    /**
     * @param configured {@code <instances>} of the pom
     * @param typedList {@code -Dfacsimile.instances}, comma-separated, or {@code null}
     */
    public static InstanceSelection of(Facsimile facsimile, List<String> configured, String typedList) {
        List<String> typed = typedList == null
                ? List.of()
                : Arrays.stream(typedList.split(","))
                        .map(String::trim)
                        .filter(name -> !name.isEmpty())
                        .distinct()
                        .toList();
        return new InstanceSelection(facsimile.knownInstances(configured), List.copyOf(configured), typed);
    }

    /** The instances of a goal that works on many: the typed list, else {@code <instances>}, else every one. */
    public List<String> many() {
        if (!typed.isEmpty()) {
            typed.forEach(known::check);
            return typed;
        }
        return configured.isEmpty() ? known.listing() : configured;
    }

    /**
     * The instance of a goal that works on one: {@code requested} ({@code -Dinstance}), else the only
     * instance of the typed list or {@code <instances>}.
     */
    public String one(String requested, String goal) throws MojoFailureException {
        if (requested != null) {
            return known.check(requested);
        }
        List<String> candidates = typed.isEmpty() ? configured : typed;
        if (candidates.size() == 1) {
            return known.check(candidates.get(0));
        }
        List<String> listing = candidates.isEmpty() ? known.listing() : candidates;
        throw new MojoFailureException("The goal " + goal + " works on one instance: add -D" + PropertyNames.INSTANCE
                + "=<name>. Instances: " + (listing.isEmpty() ? "none defined" : String.join(", ", listing)));
    }
}

package io.facsimile.core.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean …?" for names a person typed: the nearest known name, when it is near enough to be a typo. */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate with the fewest edits from {@code typed} (ties: the first in iteration order), when
     * that is at most a third of the typed length, and at least 2 (1 for a name of 1 or 2 characters),
     * at most 3 edits: {@code hots} is 2 edits from {@code host}.
     */
    public static Optional<String> nearest(String typed, Collection<String> candidates) {
        int tolerated = typed.length() <= 2 ? 1 : Math.min(3, Math.max(2, typed.length() / 3));
        LevenshteinDistance distance = new LevenshteinDistance(tolerated);
        return candidates.stream()
                .filter(candidate -> !candidate.equals(typed))
                .filter(candidate -> distance.apply(typed, candidate) >= 0)
                .min(Comparator.comparingInt(candidate -> distance.apply(typed, candidate)));
    }

    /** {@code " (did you mean x?)"} for the {@link #nearest} candidate, or the empty string. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        return nearest(typed, candidates).map(near -> " (did you mean " + near + "?)").orElse("");
    }
}

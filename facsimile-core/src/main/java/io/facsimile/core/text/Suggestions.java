package io.facsimile.core.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

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
        return candidates.stream()
                .filter(candidate -> !candidate.equals(typed))
                .filter(candidate -> edits(typed, candidate) <= tolerated)
                .min(Comparator.comparingInt(candidate -> edits(typed, candidate)));
    }

    /**
     * The Levenshtein distance: the fewest single-character insertions, deletions and substitutions
     * that turn {@code a} into {@code b}. Written out rather than taken from commons-text, a 250 KB jar
     * in the plugin's class realm for these dozen lines.
     */
    static int edits(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(substitution, Math.min(previous[j], row[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = row;
            row = swap;
        }
        return previous[b.length()];
    }

    /** {@code " (did you mean x?)"} for the {@link #nearest} candidate, or the empty string. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        return nearest(typed, candidates)
                .map(near -> " (did you mean " + near + "?)")
                .orElse("");
    }
}

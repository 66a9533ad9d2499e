package io.facsimile.bench;

import java.util.ArrayList;
import java.util.List;

/** Medians of repeated measurements. */
final class Stats {

    private Stats() {}

    /** The median of the samples (mean of the middle two for an even count). */
    static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Milliseconds since {@code startNanos}. */
    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}

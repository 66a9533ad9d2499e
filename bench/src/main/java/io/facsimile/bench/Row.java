package io.facsimile.bench;

import java.util.List;
import java.util.Locale;

/**
 * One line of a scenario's table: Facsimile's median, the peer's median measured in the same
 * invocation, their ratio and the target.
 *
 * @param what what was measured
 * @param facsimileMs every Facsimile sample, in ms
 * @param peer the peer's name, or {@code null} when there is none
 * @param peerMs every peer sample, in ms (empty without peer)
 * @param target the target, e.g. {@code ratio <= 0.33}; {@code null} when the row has none
 * @param met whether the target is met; {@code null} when the row has none or it could not be measured
 */
record Row(String what, List<Double> facsimileMs, String peer, List<Double> peerMs, String target, Boolean met) {

    double facsimile() {
        return Stats.median(facsimileMs);
    }

    double peerMedian() {
        return Stats.median(peerMs);
    }

    double ratio() {
        return facsimile() / peerMedian();
    }

    static final String HEADER =
            "| scenario | Facsimile median ms | peer | peer median ms | ratio F/peer | target | met |\n"
                    + "|---|---:|---|---:|---:|---|---|";

    String markdown() {
        boolean hasPeer = peer != null && !peerMs.isEmpty();
        return String.format(
                Locale.ROOT,
                "| %s | %.1f | %s | %s | %s | %s | %s |",
                what,
                facsimile(),
                peer == null ? "—" : peer,
                hasPeer ? String.format(Locale.ROOT, "%.1f", peerMedian()) : "—",
                hasPeer ? String.format(Locale.ROOT, "%.2f", ratio()) : "—",
                target == null ? "—" : target,
                met == null ? "—" : met ? "yes" : "**no**");
    }
}

package io.facsimile.core.deploy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a node's deploy log says: every deploy, rollback and failure, oldest first.
 *
 * @param node the node
 * @param home where the log was read, e.g. {@code shop@db1:/srv/shop}
 * @param current the release {@code current} points to, when one does
 * @param entries the log's entries, oldest first
 */
public record NodeHistory(Node node, String home, Optional<String> current, List<DeployLogEntry> entries) {

    public NodeHistory {
        entries = List.copyOf(entries);
    }

    /**
     * A heading naming the node and its current release, then a table of the last {@code limit} entries
     * (all for 0), newest last: time, who, release, outcome and seconds ({@code -} where the entry was
     * written before durations were recorded).
     */
    public List<String> table(int limit) {
        List<DeployLogEntry> shown =
                limit > 0 && entries.size() > limit ? entries.subList(entries.size() - limit, entries.size()) : entries;
        List<String> lines = new ArrayList<>();
        lines.add(node.name() + " (" + home + "): " + entries.size() + " entries"
                + (shown.size() < entries.size() ? ", the last " + shown.size() + " shown" : "")
                + ", current " + current.orElse("none"));
        if (shown.isEmpty()) {
            return lines;
        }
        lines.add(String.format(
                Locale.ROOT, "  %-20s %-12s %-32s %-9s %8s", "time", "who", "release", "outcome", "seconds"));
        for (DeployLogEntry e : shown) {
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-20s %-12s %-32s %-9s %8s",
                    time(e.when()),
                    e.who(),
                    e.release(),
                    e.outcome(),
                    e.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", e.seconds())));
        }
        return lines;
    }

    /** An ISO-8601 instant to the second; anything else as written. */
    private static String time(String when) {
        try {
            return Instant.parse(when).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException | NullPointerException e) {
            return String.valueOf(when);
        }
    }
}

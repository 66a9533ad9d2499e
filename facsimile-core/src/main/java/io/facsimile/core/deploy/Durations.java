package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as a definition writes them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a number of seconds. */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    private Durations() {}

    /**
     * Reads a duration as written.
     *
     * @throws IllegalArgumentException saying what is wrong and quoting the value, for a message that names the key
     */
    static Duration parse(Object value) {
        Matcher m = FORM.matcher(String.valueOf(value).trim().toLowerCase(Locale.ROOT));
        if (!(value instanceof String || value instanceof Integer || value instanceof Long) || !m.matches()) {
            throw new IllegalArgumentException("must be a duration such as 30s, 5m or 1h, found "
                    + (value instanceof String s ? "\"" + s + "\"" : String.valueOf(value)));
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0, found \"" + value + "\"");
        }
        return d;
    }

    /** A short human form: {@code 5m}, {@code 30s}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Whole seconds for {@code sleep} and {@code curl --max-time}, rounded up, at least 1. */
    public static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}

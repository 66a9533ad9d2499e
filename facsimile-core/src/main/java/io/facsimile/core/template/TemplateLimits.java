package io.facsimile.core.template;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the templates of one instance may render, and how long one rendered file may grow. A
 * template that loops for ever or writes without end fails naming itself and its line instead of
 * holding the build or exhausting its memory.
 *
 * @param timeout the time all templates of one instance may take together
 * @param maxOutputChars the most characters one rendered file may have
 */
public record TemplateLimits(Duration timeout, long maxOutputChars) {

    /** 60 seconds per instance, 64 Mi characters per file. */
    public static final TemplateLimits DEFAULTS = new TemplateLimits(Duration.ofSeconds(60), 64L * 1024 * 1024);

    public TemplateLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the template timeout must be positive, found " + timeout);
        }
        if (maxOutputChars < 1) {
            throw new IllegalArgumentException("the template output limit must be positive, found " + maxOutputChars);
        }
    }

    /** The {@link System#nanoTime()} at which the templates of an instance starting now must be done. */
    public long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }
}

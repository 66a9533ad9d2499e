package io.facsimile.core.api;

import java.util.List;

/**
 * The outcome of validating instances: one summary line per instance that resolved, one message
 * per error found, across all instances.
 */
public record Validation(List<String> summaries, List<String> errors) {

    public Validation {
        summaries = List.copyOf(summaries);
        errors = List.copyOf(errors);
    }

    /** {@code true} when no instance had an error. */
    public boolean isValid() {
        return errors.isEmpty();
    }
}

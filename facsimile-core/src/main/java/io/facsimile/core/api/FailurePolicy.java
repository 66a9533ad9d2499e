package io.facsimile.core.api;

/** What a goal over several instances does after one of them fails, as Maven's {@code --fail-fast} and {@code -fae}. */
public enum FailurePolicy {
    /** No further instance starts; those already running finish. The default. */
    FAIL_FAST,
    /** Every instance is worked on; at the end one failure names every instance that failed. */
    FAIL_AT_END
}

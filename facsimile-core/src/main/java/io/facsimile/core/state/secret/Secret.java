package io.facsimile.core.state.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A generated secret (a password). It prints as {@code ****} so that it cannot leak into a log, an
 * exception or a debugger's variable view by accident; {@link #reveal()} is the one way to the value
 * and is meant for the places that must write it (templates, the state file).
 */
public final class Secret {

    private static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a value; {@code null} is rejected. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret value itself. Every call site is a place where the secret leaves the type: keep them few. */
    public String reveal() {
        return value;
    }

    /** The number of characters ({@code char}s) of the value; safe to log. */
    public int length() {
        return value.length();
    }

    /** Always {@code ****}, whatever the value. */
    @Override
    public String toString() {
        return MASK;
    }

    /** Equal when the values are equal; compared in time independent of where they differ. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}

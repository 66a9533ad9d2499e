package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.bundle.OutputTimestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How to package an instance.
 *
 * @param format the archive format
 * @param includeSecrets {@code true} to put the real state values into the bundle instead of
 *     {@code ********}
 * @param timestamp the time of every archive entry
 */
public record BundleRequest(BundleFormat format, boolean includeSecrets, Instant timestamp) {

    public BundleRequest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * A request from user strings.
     *
     * @param bundleSecrets {@code seal} (default when {@code null}) or {@code include}
     * @param outputTimestamp {@code project.build.outputTimestamp}, or {@code null} for a fixed epoch
     */
    public static BundleRequest of(BundleFormat format, String bundleSecrets, String outputTimestamp) {
        String secrets = bundleSecrets == null ? "seal" : bundleSecrets.trim().toLowerCase(Locale.ROOT);
        if (!secrets.equals("seal") && !secrets.equals("include")) {
            throw new FacsimileException("<bundleSecrets> must be seal or include, found \"" + bundleSecrets + "\"");
        }
        return new BundleRequest(format, secrets.equals("include"), OutputTimestamp.parse(outputTimestamp));
    }
}

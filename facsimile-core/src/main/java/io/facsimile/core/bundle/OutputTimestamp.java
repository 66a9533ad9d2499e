package io.facsimile.core.bundle;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The time stamped on every archive entry, read from {@code project.build.outputTimestamp} the way
 * Maven's own archivers read it.
 */
public final class OutputTimestamp {

    /**
     * Used when the project sets no timestamp: the earliest time a zip entry can hold (DOS time counts
     * from 1980 in two-second steps), so tar and zip bundles carry the same time.
     */
    public static final Instant DEFAULT = Instant.parse("1980-01-01T00:00:02Z");

    private static final Instant LATEST = Instant.parse("2099-12-31T23:59:59Z");

    private OutputTimestamp() {}

    /**
     * Parses {@code project.build.outputTimestamp}: an ISO-8601 date-time with offset
     * ({@code 2026-11-24T10:00:00Z}, {@code 2026-11-24T11:00:00+01:00}) or seconds since the epoch.
     * {@code null}, blank or a single character (Maven's way to disable it) give {@link #DEFAULT}.
     * Sub-second parts are dropped.
     *
     * @throws BundleException (a user error) for anything else or a time outside 1980-01-01T00:00:02Z
     *     .. 2099-12-31T23:59:59Z, the range a zip entry can hold
     */
    public static Instant parse(String value) {
        if (value == null || value.strip().length() < 2) {
            return DEFAULT;
        }
        String v = value.strip();
        Instant instant;
        try {
            instant = v.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochSecond(Long.parseLong(v))
                    : OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            throw BundleException.userError("project.build.outputTimestamp \"" + value
                    + "\" is not a time: write an ISO-8601 time with offset like 2026-11-24T00:00:00Z"
                    + " or seconds since 1970");
        }
        if (instant.isBefore(DEFAULT) || instant.isAfter(LATEST)) {
            throw BundleException.userError("project.build.outputTimestamp \"" + value + "\" is outside " + DEFAULT
                    + " .. " + LATEST + ", the range an archive entry can hold");
        }
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }
}

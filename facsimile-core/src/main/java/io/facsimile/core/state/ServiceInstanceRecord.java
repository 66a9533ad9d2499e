package io.facsimile.core.state;

import java.util.Objects;

/**
 * One service instance (a running copy of a module's daemon) as stored in the state.
 *
 * @param uiid the instance's id, 1..255, unique within the state and stable across runs
 * @param logicalName the module's {@code logical_name} at the time the uiid was allocated
 * @param instanceName the service instance's name, e.g. {@code apid.0}
 */
public record ServiceInstanceRecord(int uiid, String logicalName, String instanceName) {

    /** The lowest uiid a service instance can get. */
    public static final int MIN_UIID = 1;

    /** The highest uiid a service instance can get. */
    public static final int MAX_UIID = 255;

    /** Checks the ranges and that no field is missing. */
    public ServiceInstanceRecord {
        if (uiid < MIN_UIID || uiid > MAX_UIID) {
            throw new IllegalArgumentException(
                    "uiid must be between " + MIN_UIID + " and " + MAX_UIID + ", was " + uiid);
        }
        Objects.requireNonNull(logicalName, "logicalName");
        Objects.requireNonNull(instanceName, "instanceName");
    }
}

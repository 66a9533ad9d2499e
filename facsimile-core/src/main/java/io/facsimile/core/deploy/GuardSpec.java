package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The time bounds and the health check of a deploy ({@code deploy.timeouts}, {@code deploy.healthcheck}).
 *
 * @param postcmd how long each postcmd command may run before it is killed (default 5m)
 * @param connect how long connecting to a node, key exchange and login may take (default 30s)
 * @param silence how long an SSH node may answer nothing, keepalives included, before it fails (default 2m)
 * @param confirm how long after the switch a node waits for the deploy to confirm before its watchdog
 *     switches back; a deploy that is alive and holds the lock is always waited for (default 2m)
 * @param healthcheck the health check, when set
 */
public record GuardSpec(
        Duration postcmd, Duration connect, Duration silence, Duration confirm, Optional<HealthCheck> healthcheck) {

    /** The default of {@code timeouts.postcmd} and of a health check's {@code timeout}. */
    public static final Duration DEFAULT_COMMAND = Duration.ofMinutes(5);
    /** The default of {@code timeouts.connect}. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(30);
    /** The default of {@code timeouts.silence}. */
    public static final Duration DEFAULT_SILENCE = Duration.ofMinutes(2);
    /** The default of {@code timeouts.confirm}. */
    public static final Duration DEFAULT_CONFIRM = Duration.ofMinutes(2);
    /** Every default, no health check. */
    public static final GuardSpec DEFAULT =
            new GuardSpec(DEFAULT_COMMAND, DEFAULT_CONNECT, DEFAULT_SILENCE, DEFAULT_CONFIRM, Optional.empty());

    private static final Set<String> KEYS = Set.of("postcmd", "connect", "silence", "confirm");

    /**
     * Reads {@code deploy.timeouts} and {@code deploy.healthcheck}; either may be {@code null}.
     *
     * @throws DeployException (a user error) naming the key and quoting the value
     */
    public static GuardSpec parse(Object timeouts, Object healthcheck) {
        Map<?, ?> map = Map.of();
        if (timeouts instanceof Map<?, ?> m) {
            map = m;
        } else if (timeouts != null) {
            throw new DeployException("deploy.timeouts must be a map of postcmd, connect, silence and confirm to "
                    + "durations such as 5m, found " + timeouts);
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new DeployException(
                        "deploy.timeouts." + key + " is not a timeout; known are " + new TreeSet<>(KEYS));
            }
        }
        Duration postcmd = Durations.parse("deploy.timeouts.postcmd", map.get("postcmd"), DEFAULT_COMMAND);
        return new GuardSpec(
                postcmd,
                Durations.parse("deploy.timeouts.connect", map.get("connect"), DEFAULT_CONNECT),
                Durations.parse("deploy.timeouts.silence", map.get("silence"), DEFAULT_SILENCE),
                Durations.parse("deploy.timeouts.confirm", map.get("confirm"), DEFAULT_CONFIRM),
                healthcheck == null ? Optional.empty() : Optional.of(HealthCheck.parse(healthcheck, DEFAULT_COMMAND)));
    }
}

package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The time bounds and the health check of a deploy ({@code deploy.timeouts}, {@code deploy.healthcheck}).
 *
 * @param postcmd how long each postcmd command may run before it is killed (default 5m)
 * @param connect how long connecting to a node, key exchange and login may take (default 30s)
 * @param silence how long an SSH node may answer nothing, keepalives included, before it fails (default 2m)
 * @param confirm with a postcmd or a health check: how long after the switch a node waits for the deploy
 *     to confirm before its watchdog switches back; a deploy that is alive and holds the lock is always
 *     waited for (default 2m)
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
    static GuardSpec read(SpecReader reader, Object timeouts, Object healthcheck) {
        String path = "deploy.timeouts";
        Map<?, ?> map =
                reader.map(timeouts, path, "a map of postcmd, connect, silence and confirm to durations such as 5m");
        reader.knownKeys(map, path, KEYS, "a timeout");
        Duration postcmd = reader.duration(map, path, "postcmd", DEFAULT_COMMAND);
        return new GuardSpec(
                postcmd,
                reader.duration(map, path, "connect", DEFAULT_CONNECT),
                reader.duration(map, path, "silence", DEFAULT_SILENCE),
                reader.duration(map, path, "confirm", DEFAULT_CONFIRM),
                healthcheck == null
                        ? Optional.empty()
                        : Optional.of(HealthCheck.read(reader, healthcheck, DEFAULT_COMMAND)));
    }
}

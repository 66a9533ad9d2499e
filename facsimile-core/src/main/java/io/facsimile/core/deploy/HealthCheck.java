package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code deploy.healthcheck}: a shell command, or an {@code http(s)://} URL fetched on the node (with
 * curl or wget, whichever it has), tried after the switch and postcmd until it passes or
 * {@code retries} more attempts have failed, {@code interval} apart, each bounded by {@code timeout}.
 *
 * @param target the command or the URL, as written
 * @param retries attempts after the first failing one (default 3)
 * @param interval the pause between attempts (default 5s)
 * @param timeout how long one attempt may take (default 5m)
 */
public record HealthCheck(String target, int retries, Duration interval, Duration timeout) {

    /** The default of {@code retries}. */
    public static final int DEFAULT_RETRIES = 3;
    /** The default of {@code interval}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private static final Set<String> KEYS = Set.of("command", "url", "retries", "interval", "timeout");

    /** {@code true} when the check fetches a URL rather than running a command. */
    public boolean isUrl() {
        return target.startsWith("http://") || target.startsWith("https://");
    }

    /**
     * The shell command the node runs for one attempt. A URL is fetched with curl or wget (failing on
     * an HTTP error status); a node with neither says so.
     */
    public String command() {
        if (!isUrl()) {
            return target;
        }
        String url = Shell.quote(target);
        long max = Durations.seconds(timeout);
        return "if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time " + max + " " + url
                + "; elif command -v wget >/dev/null 2>&1; then wget -q -O /dev/null -T " + max + " " + url
                + "; else echo 'neither curl nor wget is installed on this node: the health check URL cannot be"
                + " fetched; install one, or write the health check as a command' >&2; exit 127; fi";
    }

    /** How it reads in a message: {@code health check "curl …"} or {@code health check http://…}. */
    public String describe() {
        return isUrl() ? "health check " + target : "health check \"" + target + "\"";
    }

    /**
     * Reads {@code deploy.healthcheck}: a string (a command or a URL) or a map with {@code command}
     * or {@code url}, {@code retries}, {@code interval} and {@code timeout}.
     *
     * @throws DeployException (a user error) naming the key
     */
    static HealthCheck read(SpecReader reader, Object v, Duration defaultTimeout) {
        String path = "deploy.healthcheck";
        if (v instanceof String s && !s.isBlank()) {
            return new HealthCheck(s, DEFAULT_RETRIES, DEFAULT_INTERVAL, defaultTimeout);
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw reader.error(
                    path,
                    "must be a command, a URL or a map with command or url, found "
                            + (v instanceof String ? "an empty string" : String.valueOf(v)));
        }
        reader.knownKeys(map, path, KEYS, "a health check setting");
        Object command = map.get("command");
        Object url = map.get("url");
        if ((command == null) == (url == null)) {
            throw reader.error(path, "needs exactly one of command and url");
        }
        String target = String.valueOf(command != null ? command : url);
        if (url != null && !(target.startsWith("http://") || target.startsWith("https://"))) {
            throw reader.error(path + ".url", "must start with http:// or https://, found \"" + target + "\"");
        }
        return new HealthCheck(
                target,
                reader.integer(map, path, "retries", DEFAULT_RETRIES, 0),
                reader.duration(map, path, "interval", DEFAULT_INTERVAL),
                reader.duration(map, path, "timeout", defaultTimeout));
    }
}

package io.facsimile.core.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The jump host ({@code deploy.jump}) every SSH connection of a deploy goes through, as OpenSSH's
 * {@code ProxyJump}: a bastion that is the only way into the nodes' network. Written as
 * {@code host[:port]} or as a map {@code {host: bastion:2222, user: ops, server: bastion}}.
 *
 * @param spec the host as written, for reports
 * @param host the jump host's name or address
 * @param port its SSH port (22 unless {@code host:port})
 * @param user the login name on the jump host, or {@code null} for the nodes' (or its server's) user
 * @param server the settings.xml {@code <server>} with the jump host's credentials, or {@code null} for the
 *     nodes' credentials
 */
public record Jump(String spec, String host, int port, String user, String server) {

    private static final Set<String> KEYS = Set.of("host", "user", "server");

    /** The jump host of {@code deploy.jump}, or {@code null} when it is absent. */
    static Jump parse(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String spec) {
            return of(spec, null, null);
        }
        if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!KEYS.contains(String.valueOf(key))) {
                    throw new DeployException(
                            "deploy.jump." + key + " is not a jump host setting; known are " + new TreeSet<>(KEYS));
                }
            }
            if (!(map.get("host") instanceof String spec)) {
                throw new DeployException("deploy.jump.host is required: the jump host as host or host:port");
            }
            return of(spec, text(map, "user"), text(map, "server"));
        }
        throw new DeployException("deploy.jump must be host[:port] or a map {host, user, server}, found " + value);
    }

    private static Jump of(String spec, String user, String server) {
        Node node = DeploySpec.hostAndPort("deploy.jump", "jump", spec);
        return new Jump(spec, node.host(), node.port(), user, server);
    }

    private static String text(Map<?, ?> map, String key) {
        Object v = map.get(key);
        if (v != null && !(v instanceof String)) {
            throw new DeployException("deploy.jump." + key + " must be a string, found " + v);
        }
        return v == null || ((String) v).isBlank() ? null : (String) v;
    }
}

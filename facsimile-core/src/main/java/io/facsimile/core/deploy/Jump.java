package io.facsimile.core.deploy;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The jump host ({@code deploy.jump}) every SSH connection of a deploy goes through, as OpenSSH's
 * {@code ProxyJump}: a bastion that is the only way into the nodes' network. Written as
 * {@code host[:port]} or as a map {@code {host: bastion:2222, user: ops, server: bastion}}.
 *
 * @param address the jump host's address
 * @param user the login name on the jump host, or {@code null} for the nodes' (or its server's) user
 * @param server the settings.xml {@code <server>} with the jump host's credentials, or {@code null} for the
 *     nodes' credentials
 */
public record Jump(NodeAddress address, String user, String server) {

    private static final String PATH = "deploy.jump";
    private static final Set<String> KEYS = Set.of("host", "user", "server");

    public Jump {
        Objects.requireNonNull(address, "address");
    }

    /** The host as written, for reports. */
    public String spec() {
        return address.spec();
    }

    /** The jump host's name or address. */
    public String host() {
        return address.host();
    }

    /** Its SSH port (22 unless {@code host:port}). */
    public int port() {
        return address.port();
    }

    /** The jump host as the node SSH connects to first, target {@code jump}, named as written. */
    public Node node() {
        return address.node("jump");
    }

    /** The jump host of {@code deploy.jump}, or {@code null} when it is absent. */
    static Jump read(SpecReader reader, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String spec) {
            return new Jump(reader.address(spec, PATH), null, null);
        }
        if (value instanceof Map<?, ?> map) {
            reader.knownKeys(map, PATH, KEYS, "a jump host setting");
            if (!(map.get("host") instanceof String spec)) {
                throw reader.error(PATH + ".host", "is required: the jump host as host or host:port");
            }
            return new Jump(reader.address(spec, PATH), text(reader, map, "user"), text(reader, map, "server"));
        }
        throw reader.error(PATH, "must be host[:port] or a map {host, user, server}, found " + value);
    }

    private static String text(SpecReader reader, Map<?, ?> map, String key) {
        String text = reader.string(map, PATH, key);
        return text == null || text.isBlank() ? null : text;
    }
}

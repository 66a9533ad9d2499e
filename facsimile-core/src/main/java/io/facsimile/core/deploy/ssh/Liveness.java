package io.facsimile.core.deploy.ssh;

import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The time bounds of an SSH connection, as OpenSSH's {@code ConnectTimeout}, {@code ServerAliveInterval}
 * and {@code ServerAliveCountMax}: connecting and logging in take at most {@code connect}; a node that
 * answers nothing for {@code silence}, keepalives included (a frozen sshd, a cut cable), fails and its
 * session is closed, so every operation waiting on it ends.
 *
 * @param connect connect, key exchange and login (deploy.timeouts.connect)
 * @param silence how long a node may stay silent (deploy.timeouts.silence)
 */
public record Liveness(Duration connect, Duration silence) {

    /** Keepalives sent per {@code silence}: the node is given up after this many unanswered in a row. */
    private static final int PROBES = 4;

    /** The defaults: 30 s to connect, 2 minutes of silence. */
    public static final Liveness DEFAULT = new Liveness(Duration.ofSeconds(30), Duration.ofMinutes(2));

    void apply(SshClient client) {
        Duration interval = Duration.ofMillis(Math.max(500, silence.toMillis() / PROBES));
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, connect);
        CoreModuleProperties.AUTH_TIMEOUT.set(client, connect);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, interval);
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, interval);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, PROBES - 1);
        // A backstop: nothing at all received for the whole silence.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, silence);
    }
}

package io.facsimile.core.deploy;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.deploy.ssh.HostKeyPolicy;
import io.facsimile.core.deploy.ssh.SshCredentials;
import io.facsimile.core.deploy.ssh.SshTransportFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deploy in a JVM of its own, for tests that kill it ({@code kill -9}) or interrupt it (SIGINT):
 * {@code home tree version postcmd confirm [host:port userKey knownHosts]}. Without the last three it
 * deploys to this machine, with them over SSH as root. Prints each progress line (a warning after {@code WARNING}) and the node's line.
 */
public final class GuardChild {

    private GuardChild() {}

    public static void main(String[] args) {
        Map<String, Object> settings =
                new HashMap<>(Map.of("home", args[0], "postcmd", args[3], "timeouts", Map.of("confirm", args[4])));
        boolean ssh = args.length > 5;
        if (ssh) {
            settings.put("nodes", Map.of("app", List.of(args[5])));
        }
        DeployEngine engine = DeployEngine.create(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                System.out.println(message);
            }

            @Override
            public void warn(Node node, String message) {
                System.out.println("WARNING " + message);
            }
        });
        TransportFactory transports = ssh
                ? new SshTransportFactory(
                        args[0],
                        new SshCredentials("root", null, Path.of(args[6]), null),
                        new HostKeyPolicy(Path.of(args[7]), false))
                : slowSwitch(LocalTransport.factory(Path.of(args[0])), Long.getLong("guard.slowSwitch", 0));
        DeployReport report = engine.deploy(
                DeployRequest.of(ReleaseSource.scan(Path.of(args[1]), args[2]), DeploySpec.parse(settings)),
                transports);
        System.out.println(report.nodes().get(0).line());
    }

    /**
     * With {@code millis > 0}: the command that starts the watchdog and switches runs only after it prints
     * {@code switch under way} and sleeps so long (a slow login shell), so that a test can interrupt the
     * deploy while it is under way.
     */
    private static TransportFactory slowSwitch(TransportFactory local, long millis) {
        if (millis <= 0) {
            return local;
        }
        return node -> new ForwardingTransport(local.open(node), 0) {
            @Override
            public ExecResult exec(String dir, String command, java.time.Duration timeout) {
                if (command.contains("nohup")) {
                    System.out.println("switch under way");
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.exec(dir, command, timeout);
            }
        };
    }
}

package io.facsimile.core.deploy;

import io.facsimile.core.deploy.local.LocalTransport;
import java.nio.file.Path;
import java.util.Map;

/**
 * A deploy in a JVM of its own, for tests that kill it ({@code kill -9}) or interrupt it (SIGINT):
 * {@code home tree version postcmd confirm}. Prints each progress line and the node's line.
 */
public final class GuardChild {

    private GuardChild() {}

    public static void main(String[] args) {
        DeploySpec spec = DeploySpec.parse(Map.of("home", args[0], "postcmd", args[3],
                "timeouts", Map.of("confirm", args[4])));
        DeployEngine engine = DeployEngine.create(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                System.out.println(message);
            }
        });
        DeployReport report = engine.deploy(DeployRequest.of(ReleaseSource.scan(Path.of(args[1]), args[2]), spec),
                LocalTransport.factory(Path.of(args[0])));
        System.out.println(report.nodes().get(0).line());
    }
}

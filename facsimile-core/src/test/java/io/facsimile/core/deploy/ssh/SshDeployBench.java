package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.ReleaseSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: one deploy of a tree to one sshd node, timed, for {@code bench/ssh-deploy.sh}.
 * Arguments: tree, home on the node, port, private key, known_hosts, label. Prints one line:
 * {@code label seconds files bytes outcome}.
 */
public final class SshDeployBench {

    private SshDeployBench() {}

    public static void main(String[] args) {
        Path tree = Path.of(args[0]);
        String home = args[1];
        int port = Integer.parseInt(args[2]);
        Path key = Path.of(args[3]);
        Path knownHosts = Path.of(args[4]);
        String label = args[5];
        DeploySpec spec = DeploySpec.parse(Map.of("home", home, "nodes", Map.of("bench", List.of("127.0.0.1:" + port)),
                "keep", 3));
        DeployEngine engine = new DeployEngine(new DeployListener() {}, "bench", Duration.ofSeconds(60), Clock.systemUTC());
        long start = System.nanoTime();
        DeployReport report = engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec),
                new SshTransportFactory(home, new SshCredentials("root", null, key, null), new HostKeyPolicy(knownHosts, false)));
        double seconds = (System.nanoTime() - start) / 1e9;
        NodeResult r = report.nodes().get(0);
        System.out.printf(Locale.ROOT, "%-34s %8.2f s %7d files %12d bytes  %s%n", label, seconds, r.filesSent(),
                r.bytesSent(), r.outcome().label() + (r.outcome().ok() ? "" : " " + r.reason()));
        if (!report.ok()) {
            System.exit(1);
        }
    }
}

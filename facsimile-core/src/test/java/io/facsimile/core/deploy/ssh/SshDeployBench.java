package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.local.LocalTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: one deploy of a tree to one sshd node, or locally when the port is {@code local}, timed,
 * for {@code bench/ssh-deploy.sh}. Arguments: tree, home on the node, port, private key, known_hosts,
 * label. Prints one line: {@code label seconds-in-this-JVM files bytes outcome}.
 */
public final class SshDeployBench {

    private SshDeployBench() {}

    public static void main(String[] args) {
        Path tree = Path.of(args[0]);
        String home = args[1];
        boolean local = args[2].equals("local");
        Path key = Path.of(args[3]);
        Path knownHosts = Path.of(args[4]);
        String label = args[5];
        DeploySpec spec = DeploySpec.parse(
                local
                        ? Map.of("home", home, "keep", 3)
                        : Map.of("home", home, "nodes", Map.of("bench", List.of("127.0.0.1:" + args[2])), "keep", 3));
        long start = System.nanoTime();
        boolean verbose = Boolean.getBoolean("bench.verbose");
        DeployEngine engine = new DeployEngine(
                new DeployListener() {
                    @Override
                    public void info(io.facsimile.core.deploy.Node node, String message) {
                        if (verbose) {
                            System.err.printf(Locale.ROOT, "%8.3f s %s%n", (System.nanoTime() - start) / 1e9, message);
                        }
                    }
                },
                "bench",
                Duration.ofSeconds(60),
                Clock.systemUTC());
        ReleaseSource source = ReleaseSource.scan(tree, "1.0");
        double scan = (System.nanoTime() - start) / 1e9;
        if (verbose) {
            System.err.printf(Locale.ROOT, "%8.3f s tree hashed (as render's manifest.json would say)%n", scan);
        }
        DeployReport report = engine.deploy(
                DeployRequest.of(source, spec),
                local
                        ? LocalTransport.factory(Path.of(home))
                        : new SshTransportFactory(
                                home,
                                new SshCredentials("root", null, key, null),
                                new HostKeyPolicy(knownHosts, false)));
        double seconds = (System.nanoTime() - start) / 1e9;
        NodeResult r = report.nodes().get(0);
        System.out.printf(
                Locale.ROOT,
                "%-34s %8.2f s %7d files %12d bytes  %s (%.2f s of it hashing the tree here)%n",
                label,
                seconds,
                r.filesSent(),
                r.bytesSent(),
                r.outcome().label() + (r.outcome().ok() ? "" : " " + r.reason()),
                scan);
        if (!report.ok()) {
            System.exit(1);
        }
    }
}

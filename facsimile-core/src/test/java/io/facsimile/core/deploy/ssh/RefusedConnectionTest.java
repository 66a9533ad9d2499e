package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.reliability.Case;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that refuses the connection: the run broke, the user did nothing wrong. */
class RefusedConnectionTest {

    @TempDir
    Path dir;

    @Test
    @Case("deploy.refused-connection")
    void aRefusedConnectionIsABrokenRunKeptInTheNodeResult() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree);
        Files.writeString(tree.resolve("a.txt"), "a\n");
        DeploySpec spec =
                DeploySpec.parse(Map.of("home", "/srv/x", "nodes", Map.of("app", List.of("127.0.0.1:" + port))));
        DeployEngine engine = new DeployEngine(DeployListener.NONE, "tester", Duration.ofSeconds(5), Clock.systemUTC());
        SshTransportFactory factory = new SshTransportFactory(
                "/srv/x",
                new SshCredentials("root", null, null, null),
                "the settings.xml <server> facsimile.prod",
                new HostKeyPolicy(dir.resolve("known_hosts"), false));
        DeployReport report = engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec), factory);
        NodeResult node = report.nodes().get(0);
        assertThat(node.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(node.failure()).isNotNull();
        assertThat(node.broken()).isTrue();
        assertThatThrownBy(node::requireOk).isSameAs(node.failure());
        assertThatThrownBy(report::requireOk)
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port)
                .hasMessageContaining(
                        "root@127.0.0.1:" + port + ", user root from the settings.xml <server> facsimile.prod")
                .hasMessageContaining("Connection refused")
                .satisfies(e -> assertThat(((DeployException) e).isUserError())
                        .as("a broken run")
                        .isFalse());
    }
}

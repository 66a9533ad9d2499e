package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several nodes through one engine: each node a local directory standing in for a host. */
class WavesTest {

    @TempDir
    Path dir;

    private DeploySpec fleet(int serial) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        nodes.put("gateway", List.of("gw1", "gw2:2222"));
        nodes.put("db", List.of("db1"));
        return DeploySpec.parse(Map.of("home", "/srv/shop", "nodes", nodes, "serial", serial, "parallel", 2));
    }

    private TransportFactory hosts() {
        return node -> new LocalTransport(node, dir.resolve("hosts").resolve(node.host()));
    }

    private ReleaseSource source() throws IOException {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree);
        Files.writeString(tree.resolve("app.conf"), "x=1\n");
        return ReleaseSource.scan(tree, "2.0");
    }

    @Test
    void everyNodeOfTheSelectedTargetsIsDeployed() throws IOException {
        DeployEngine engine = new DeployEngine(DeployListener.NONE, "t", Duration.ofSeconds(1), Clock.systemUTC());
        DeployReport all = engine.deploy(DeployRequest.of(source(), fleet(0)), hosts());
        assertThat(all.ok()).isTrue();
        assertThat(all.nodes()).extracting(r -> r.node().name()).containsExactly("gw1", "gw2:2222", "db1");
        assertThat(dir.resolve("hosts/gw2/current/app.conf")).exists();
        DeployRequest dbOnly = new DeployRequest(source(), fleet(0), Set.of("db"), false, Set.of());
        assertThat(engine.deploy(dbOnly, hosts()).nodes())
                .singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED));
    }

    @Test
    void aFailedWaveStopsLaterWavesAndIsNamed() throws IOException {
        Files.createDirectories(dir.resolve("hosts"));
        Files.writeString(dir.resolve("hosts/gw2"), "a file where the home should be");
        DeployEngine engine = new DeployEngine(DeployListener.NONE, "t", Duration.ofSeconds(1), Clock.systemUTC());
        DeployReport report = engine.deploy(DeployRequest.of(source(), fleet(2)), hosts());
        assertThat(report.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.SKIPPED);
        assertThat(report.failureMessage()).startsWith("deploy failed on 1 node(s):\n  gw2:2222: ");
        assertThat(report.table()).hasSize(4);
        assertThat(dir.resolve("hosts/db1")).doesNotExist();
    }
}

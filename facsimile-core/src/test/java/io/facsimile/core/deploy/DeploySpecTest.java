package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploySpecTest {

    @Test
    void defaultsForAnEmptyMap() {
        DeploySpec spec = DeploySpec.parse(Map.of("home", "/srv/shop"));
        assertThat(spec.strategy()).isEqualTo(Strategy.RELEASES);
        assertThat(spec.keep()).isEqualTo(5);
        assertThat(spec.parallel()).isEqualTo(4);
        assertThat(spec.serial()).isZero();
        assertThat(spec.maxDelete()).isEmpty();
        assertThat(spec.isLocal()).isTrue();
        assertThat(spec.selectNodes(Set.of())).containsExactly(Node.LOCAL);
    }

    @Test
    void readsEverySetting() {
        Map<String, Object> nodes = new LinkedHashMap<>();
        nodes.put("gateway", List.of("gw1.example.net", "gw2.example.net:2222"));
        nodes.put("db", List.of("db1.example.net"));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("home", "/srv/shop");
        map.put("user", "shop");
        map.put("nodes", nodes);
        map.put("postcmd", "systemctl --user restart shop");
        map.put("exclude", List.of("*.log", "tmp/"));
        map.put("strategy", "sync");
        map.put("keep", 3);
        map.put("serial", "2");
        map.put("maxDelete", 100);
        DeploySpec spec = DeploySpec.parse(map);
        assertThat(spec.postcmd()).containsExactly("systemctl --user restart shop");
        assertThat(spec.strategy()).isEqualTo(Strategy.SYNC);
        assertThat(spec.serial()).isEqualTo(2);
        assertThat(spec.maxDelete()).hasValue(100);
        assertThat(spec.selectNodes(Set.of()))
                .containsExactly(
                        new Node("gateway", "gw1.example.net", "gw1.example.net", 22),
                        new Node("gateway", "gw2.example.net:2222", "gw2.example.net", 2222),
                        new Node("db", "db1.example.net", "db1.example.net", 22));
        assertThat(spec.selectNodes(Set.of("db"))).extracting(Node::host).containsExactly("db1.example.net");
    }

    @Test
    void errorsNameTheKeyAndQuoteTheValue() {
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("keep", "five")))
                .isInstanceOf(DeployException.class)
                .hasMessage("deploy.keep must be a positive integer, found \"five\"");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("strategy", "rsync")))
                .hasMessageContaining("deploy.strategy must be releases or sync, found \"rsync\"");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("nodes", Map.of("db", "db1"))))
                .hasMessage("deploy.nodes.db must be a list of hosts, found \"db1\"");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("nodes", Map.of("db", List.of("db1:ssh")))))
                .hasMessageContaining("deploy.nodes.db: \"db1:ssh\"");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("kep", 3)))
                .hasMessageContaining("deploy.kep is not a deploy setting");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("home", "/x", "nodes", Map.of("db", List.of("h"))))
                        .selectNodes(Set.of("web")))
                .hasMessageContaining("\"web\"")
                .hasMessageContaining("[db]");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("nodes", Map.of("db", List.of("db1")))))
                .hasMessageContaining("deploy.home is required when deploy.nodes is set");
        assertThat(catchUserError(() -> DeploySpec.parse(Map.of("parallel", 0))))
                .isTrue();
    }

    @Test
    void destdirIsAStagingRootForTheHome(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path base = dir.resolve("project");
        assertThat(DeploySpec.local("/srv/shop").localHome(dir, base)).isEqualTo(dir.resolve("srv/shop"));
        assertThat(DeploySpec.local(null).localHome(dir, base)).isEqualTo(dir);
        assertThat(DeploySpec.local("out/shop").localHome(null, base)).isEqualTo(base.resolve("out/shop"));
        assertThatThrownBy(() -> DeploySpec.local(null).localHome(null, base))
                .hasMessageContaining("deploy.home is required");
    }

    @Test
    void timeoutsAndTheHealthCheckHaveDefaultsAndAreRead() {
        DeploySpec plain = DeploySpec.parse(Map.of("home", "/srv"));
        assertThat(plain.guard()).isEqualTo(io.facsimile.core.deploy.GuardSpec.DEFAULT);
        assertThat(plain.guard().postcmd()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(plain.guard().silence()).isEqualTo(java.time.Duration.ofMinutes(2));

        DeploySpec set = DeploySpec.parse(Map.of(
                "home",
                "/srv",
                "timeouts",
                Map.of("postcmd", "90s", "connect", 10, "silence", "1m", "confirm", "500ms"),
                "healthcheck",
                "http://localhost/health"));
        assertThat(set.guard().postcmd()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(set.guard().connect()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(set.guard().confirm()).isEqualTo(java.time.Duration.ofMillis(500));
        io.facsimile.core.deploy.HealthCheck check = set.guard().healthcheck().orElseThrow();
        assertThat(check.isUrl()).isTrue();
        assertThat(check.retries()).isEqualTo(3);
        assertThat(check.command()).contains("curl -fsS").contains("wget -q").contains("neither curl nor wget");

        assertThat(DeploySpec.parse(
                                Map.of("home", "/srv", "healthcheck", Map.of("command", "test -f ok", "retries", 0)))
                        .guard()
                        .healthcheck()
                        .orElseThrow()
                        .command())
                .isEqualTo("test -f ok");
    }

    @Test
    void wrongTimeoutsAndHealthChecksAreNamed() {
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("timeouts", Map.of("postcmd", "5 minutes"))))
                .hasMessage("deploy.timeouts.postcmd must be a duration such as 30s, 5m or 1h, found \"5 minutes\"");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("timeouts", Map.of("postcmd", "0s"))))
                .hasMessageContaining("deploy.timeouts.postcmd must be longer than 0");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("timeouts", Map.of("posctmd", "5m"))))
                .hasMessageStartingWith("deploy.timeouts.posctmd is not a timeout; known are [confirm, connect,");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("url", "localhost:8080"))))
                .hasMessageContaining("deploy.healthcheck.url must start with http:// or https://");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("retries", 2))))
                .hasMessage("deploy.healthcheck needs exactly one of command and url");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("command", "x", "retries", -1))))
                .hasMessageContaining("deploy.healthcheck.retries must be 0 or a positive integer");
    }

    private static boolean catchUserError(Runnable r) {
        try {
            r.run();
            return false;
        } catch (DeployException e) {
            return e.isUserError();
        }
    }
}

package io.facsimile.core.deploy;

import static io.facsimile.core.testing.TestFiles.writeString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionResolver;
import io.facsimile.core.definition.DefinitionSources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                .hasMessageStartingWith(
                        "deploy.timeouts.posctmd is not a timeout (did you mean postcmd?); known are [confirm, connect,");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("url", "localhost:8080"))))
                .hasMessageContaining("deploy.healthcheck.url must start with http:// or https://");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("retries", 2))))
                .hasMessage("deploy.healthcheck needs exactly one of command and url");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("command", "x", "retries", -1))))
                .hasMessageContaining("deploy.healthcheck.retries must be 0 or a positive integer");
    }

    @TempDir
    Path basedir;

    /** The definition of {@code prod}, one layer of these YAML lines. */
    private Definition definition(String... lines) {
        writeString(basedir.resolve("src/main/facsimile/prod.yaml"), String.join("\n", lines) + "\n");
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        return new DefinitionResolver(DefinitionSources.locate(basedir, null, List.of()), project).resolve("prod");
    }

    @Test
    void errorsFromADefinitionStartWithFileLineAndColumnOfTheValue() {
        assertThatThrownBy(() -> DeploySpec.of(definition("deploy:", "  home: /srv/shop", "  keep: five")))
                .isInstanceOf(DeployException.class)
                .hasMessageEndingWith("prod.yaml:3:9: deploy.keep must be a positive integer, found \"five\"");
        assertThatThrownBy(() -> DeploySpec.of(definition(
                        "deploy:", "  home: /srv/shop", "  timeouts:", "    connect: 10s", "    silence: forever")))
                .hasMessageEndingWith(
                        "prod.yaml:5:14: deploy.timeouts.silence must be a duration such as 30s, 5m or 1h,"
                                + " found \"forever\"");
        assertThatThrownBy(() -> DeploySpec.of(definition("deploy:", "  nodes:", "    web: [web1]")))
                .hasMessageEndingWith("prod.yaml:2:3: deploy.home is required when deploy.nodes is set: the directory"
                        + " on every node that receives the deploy tree, e.g. home: /srv/app");
        assertThatThrownBy(() -> DeploySpec.of(definition("deploy: /srv/shop")))
                .hasMessageContaining("prod.yaml:1:9: deploy must be a map (home, nodes, postcmd, …)");
        // every node command runs in the home: a relative one would mean another directory after a cd
        assertThatThrownBy(
                        () -> DeploySpec.of(definition("deploy:", "  home: srv/shop", "  nodes:", "    web: [web1]")))
                .hasMessageEndingWith("prod.yaml:2:9: deploy.home must be an absolute path when deploy.nodes is set"
                        + " (the same directory on every node), found \"srv/shop\": e.g. /srv/app, or"
                        + " /home/<user>/app below the login's home directory");
        assertThat(DeploySpec.of(definition("deploy:", "  home: target/shop")).home())
                .as("a local home is resolved against the project or a destdir")
                .isEqualTo("target/shop");
    }

    @Test
    void aMisspeltKeyIsNamedWithTheNearestKnownOne() {
        assertThatThrownBy(() -> DeploySpec.of(definition("deploy:", "  home: /srv/shop", "  paralel: 2")))
                .hasMessageEndingWith("prod.yaml:3:12: deploy.paralel is not a deploy setting (did you mean parallel?);"
                        + " known are [canary, exclude, healthcheck, home, jump, keep, maxDelete, maxFailPercentage,"
                        + " nodes, onFailure, parallel, postcmd, serial, server, strategy, timeouts, user]");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("jump", Map.of("hots", "bastion"))))
                .hasMessageStartingWith("deploy.jump.hots is not a jump host setting (did you mean host?)");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("healthcheck", Map.of("commnd", "true"))))
                .hasMessageStartingWith(
                        "deploy.healthcheck.commnd is not a health check setting (did you mean command?)");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("zzz", 1)))
                .hasMessageStartingWith("deploy.zzz is not a deploy setting; known are");
    }

    @Test
    void hostsAreReadOnceIntoAddresses() {
        DeploySpec spec = DeploySpec.of(definition(
                "deploy:",
                "  home: /srv/shop",
                "  nodes:",
                "    web: [web1, 'web2:2222', '[::1]:2200']",
                "  jump: b:22"));
        assertThat(spec.nodes().get("web"))
                .containsExactly(
                        new NodeAddress("web1", "web1", 22),
                        new NodeAddress("web2:2222", "web2", 2222),
                        new NodeAddress("[::1]:2200", "::1", 2200));
        assertThat(spec.selectNodes(Set.of()))
                .containsExactly(
                        new Node("web", "web1", "web1", 22),
                        new Node("web", "web2:2222", "web2", 2222),
                        new Node("web", "[::1]:2200", "::1", 2200));
        assertThat(spec.jump().address()).isEqualTo(new NodeAddress("b:22", "b", 22));
        assertThat(spec.jump().node()).isEqualTo(new Node("jump", "b:22", "b", 22));
        assertThatThrownBy(() -> NodeAddress.parse("web1:70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"web1:70000\" is not host or host:port");
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

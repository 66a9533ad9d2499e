package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canary}, {@code maxFailPercentage} and {@code onFailure} on a fleet of local directories, each
 * standing in for a host. A node fails its postcmd when its home holds a file {@code FAIL}.
 */
class FleetPolicyTest {

    /** Fails on a node whose home holds FAIL (postcmd runs in home/releases/<id>). */
    static final String POSTCMD = "test ! -e ../../FAIL";

    @TempDir
    Path dir;

    Path tree;
    final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    DeployEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        tree = dir.resolve("tree");
        Files.createDirectories(tree);
        engine = TestEngines.engine(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                steps.add(node.host() + ": " + message);
            }
        });
    }

    static List<String> hosts(int n) {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            hosts.add("n" + i);
        }
        return hosts;
    }

    DeployReport deploy(String version, int nodes, Map<String, Object> extra) throws IOException {
        Files.writeString(tree.resolve("app.conf"), "v=" + version + "\n", StandardCharsets.UTF_8);
        Map<String, Object> m = new HashMap<>(extra);
        m.put("home", "/srv/shop");
        m.put("nodes", Map.of("web", hosts(nodes)));
        m.put("postcmd", POSTCMD);
        return engine.deploy(
                DeployRequest.of(ReleaseSource.scan(tree, version), DeploySpec.parse(m)),
                node -> new LocalTransport(node, dir.resolve("hosts").resolve(node.host())));
    }

    Path host(String name) {
        return dir.resolve("hosts").resolve(name);
    }

    void failOn(String name) throws IOException {
        Files.createDirectories(host(name));
        Files.writeString(host(name).resolve("FAIL"), "");
    }

    String current(String name) throws IOException {
        return Files.readSymbolicLink(host(name).resolve("current"))
                .getFileName()
                .toString();
    }

    @Test
    void theCanaryWaveComesFirstAndTheRestFollowInWavesOfSerial() {
        List<Node> nodes = DeploySpec.parse(Map.of("home", "/h", "nodes", Map.of("web", hosts(5))))
                .selectNodes(java.util.Set.of());
        assertThat(new Waves(2, 2, new FleetPolicy(1, 0, FleetPolicy.OnFailure.STOP)).waves(nodes))
                .extracting(List::size)
                .containsExactly(1, 2, 2);
        assertThat(new Waves(2, 0, new FleetPolicy(2, 0, FleetPolicy.OnFailure.STOP)).waves(nodes))
                .extracting(List::size)
                .containsExactly(2, 3);
        assertThat(new Waves(2, 0, new FleetPolicy(9, 0, FleetPolicy.OnFailure.STOP)).waves(nodes))
                .extracting(List::size)
                .containsExactly(5);
        assertThat(new Waves(2, 0).waves(nodes)).extracting(List::size).containsExactly(5);
    }

    @Test
    @Case("deploy.fleet-canary")
    void aFailingCanaryStopsTheRestEvenWhenFailuresAreTolerated() throws IOException {
        failOn("n2");
        DeployReport report = deploy("1.0", 5, Map.of("canary", 2, "maxFailPercentage", 50));
        assertThat(report.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(report.nodes().get(4).reason()).isEqualTo("not started: the canary wave failed");
        assertThat(host("n3")).doesNotExist();
        assertThat(report.table()).anyMatch(l -> l.startsWith("n5 ") && l.contains("not started"));
    }

    @Test
    @Case("deploy.fleet-max-fail")
    void maxFailPercentageToleratesFailuresUpToItsShareOfTheFleet() throws IOException {
        failOn("n2");
        failOn("n4");
        // 1 of 5 is 20%, not more than 20%: on; 2 of 5 is 40%: no wave starts after it
        DeployReport report = deploy("1.0", 5, Map.of("serial", 1, "maxFailPercentage", 20));
        assertThat(report.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.DEPLOYED, Outcome.FAILED, Outcome.SKIPPED);
        assertThat(report.nodes().get(4).reason())
                .isEqualTo("not started: 2 of 5 nodes failed, more than maxFailPercentage 20%");
        assertThat(report.ok()).as("failed nodes fail the build all the same").isFalse();
        // the default, 0: the first failure stops
        Files.delete(host("n4").resolve("FAIL"));
        DeployReport strict = deploy("2.0", 5, Map.of("serial", 1));
        assertThat(strict.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED);
    }

    @Test
    @Case("deploy.fleet-revert")
    void onFailureRevertSwitchesBackEveryNodeThisRunSwitchedInReverseOrder() throws IOException {
        DeployReport first = deploy("1.0", 5, Map.of());
        assertThat(first.ok()).isTrue();
        String old = first.nodes().get(0).release();
        failOn("n4");
        steps.clear();
        DeployReport report = deploy("2.0", 5, Map.of("serial", 2, "onFailure", "revert"));
        String fresh = report.nodes().get(3).release();
        assertThat(report.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.REVERTED, Outcome.REVERTED, Outcome.REVERTED, Outcome.FAILED, Outcome.SKIPPED);
        for (String n : hosts(5)) {
            assertThat(current(n)).as(n).isEqualTo(old);
        }
        assertThat(steps.stream().filter(s -> s.contains("switching back")).map(s -> s.substring(0, 2)))
                .containsExactly("n3", "n2", "n1");
        assertThat(report.nodes().get(0).reason())
                .isEqualTo("deployed " + fresh + ", switched back to " + old
                        + ": 1 of 5 nodes failed, more than maxFailPercentage 0%");
        assertThat(report.table()).anyMatch(l -> l.startsWith("n1 ") && l.contains("reverted"));
        assertThat(report.failureMessage()).contains("n4").doesNotContain("n1:");
        assertThat(Files.readAllLines(host("n1").resolve(".facsimile/deploy-log.jsonl"))
                        .get(2))
                .contains("\"release\":\"" + old + "\"", "\"outcome\":\"reverted\"");
        // the switch back ran postcmd in the old release
        assertThat(steps).anyMatch(s -> s.startsWith("n1: postcmd"));
    }

    @Test
    void aRevertOfAFirstDeployRemovesCurrentAndStopLeavesNodesSwitched() throws IOException {
        failOn("n2");
        DeployReport report = deploy("1.0", 2, Map.of("serial", 1, "onFailure", "revert", "maxFailPercentage", 0));
        assertThat(report.nodes()).extracting(NodeResult::outcome).containsExactly(Outcome.REVERTED, Outcome.FAILED);
        assertThat(host("n1").resolve("current")).doesNotExist();
        assertThat(report.nodes().get(0).reason()).contains("current removed as no release was live before");

        Files.delete(host("n2").resolve("FAIL"));
        failOn("n1");
        DeployReport stop = deploy("2.0", 2, Map.of("serial", 1));
        Files.delete(host("n1").resolve("FAIL"));
        failOn("n2");
        DeployReport kept = deploy("3.0", 2, Map.of("serial", 1, "onFailure", "stop"));
        assertThat(stop.nodes()).extracting(NodeResult::outcome).containsExactly(Outcome.FAILED, Outcome.SKIPPED);
        assertThat(kept.nodes()).extracting(NodeResult::outcome).containsExactly(Outcome.DEPLOYED, Outcome.FAILED);
        assertThat(current("n1")).startsWith("3.0-");
    }

    @Test
    void revertIsRefusedWithSyncAndBadValuesAreNamed() {
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("strategy", "sync", "onFailure", "revert")))
                .hasMessageStartingWith("deploy.onFailure: revert needs deploy.strategy: releases");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("onFailure", "rollback")))
                .hasMessage("deploy.onFailure must be stop or revert, found \"rollback\"");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("maxFailPercentage", 101)))
                .hasMessage("deploy.maxFailPercentage must be a whole number from 0 to 100, found 101");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("canary", -1)))
                .hasMessage("deploy.canary must be 0 or a positive integer, found -1");
        assertThat(DeploySpec.parse(Map.of()).fleet()).isEqualTo(FleetPolicy.DEFAULT);
    }
}

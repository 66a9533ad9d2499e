package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.TestEngines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes, each a real sshd in its own mount namespace: every node sees its own directory at
 * the same deploy home, as separate machines would.
 */
class SshFleetTest {

    @TempDir
    Path dir;

    Path home;
    Path tree;
    Path knownHosts;
    Path userKey;
    final List<Sshd> servers = new ArrayList<>();
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    DeployEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Sshd.available(), "no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server)");
        assumeTrue(
                Sshd.canUnshare(),
                "unshare -m is not permitted here (needs root or user namespaces): "
                        + "the nodes of this test need their own mount namespaces");
        home = dir.resolve("srv/shop");
        tree = dir.resolve("release/_DEPLOY_");
        knownHosts = dir.resolve("known_hosts");
        userKey = Sshd.keygen(dir.resolve("keys/user"));
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.conf"), "v=1\n", StandardCharsets.UTF_8);
        engine = TestEngines.engine(new DeployListener() {
            @Override
            public void finished(NodeResult result) {
                lines.add(result.line());
            }
        });
    }

    @AfterEach
    void stopAll() {
        servers.forEach(Sshd::close);
    }

    /** A node: its sshd, and the directory that is its deploy home. */
    record Host(Sshd sshd, Path files) {}

    Host host(String name) throws Exception {
        Path hostKey = Sshd.keygen(dir.resolve("keys/" + name));
        Path files = dir.resolve("hosts/" + name);
        // Each node's commands get a HOME of their own, as separate machines have: sshd runs them through
        // root's bash, which reads ~/.bashrc, and this build machine's runs pyenv, whose one lock twenty
        // nodes sharing /root queue on for minutes.
        Path nodeHome = Files.createDirectories(dir.resolve("node-home/" + name));
        Sshd sshd = Sshd.start(
                dir, name, List.of(hostKey), userKey, Sshd.freePort(), files, home, List.of("SetEnv HOME=" + nodeHome));
        servers.add(sshd);
        Files.writeString(
                knownHosts,
                sshd.knownHostsLine(),
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        return new Host(sshd, files);
    }

    DeployReport deploy(Map<String, List<String>> nodes, Map<String, Object> extra, Set<String> targets) {
        Map<String, Object> m = new HashMap<>(extra);
        m.put("home", home.toString());
        m.put("nodes", nodes);
        DeploySpec spec = DeploySpec.parse(m);
        return engine.deploy(
                new DeployRequest(ReleaseSource.scan(tree, "1.0"), spec, targets, false, Set.of()),
                new SshTransportFactory(
                        home.toString(),
                        new SshCredentials("root", null, userKey, null),
                        new HostKeyPolicy(knownHosts, false)));
    }

    @Test
    void deploysTwoNodesInTwoTargetsEachOnItsOwnFiles() throws Exception {
        Host a = host("gw1");
        Host b = host("db1");
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        nodes.put("gateway", List.of(a.sshd().hostSpec()));
        nodes.put("db", List.of(b.sshd().hostSpec()));

        DeployReport report = deploy(nodes, Map.of(), Set.of());
        assertThat(report.ok()).as(String.join("\n", report.table())).isTrue();
        assertThat(report.nodes()).extracting(NodeResult::outcome).containsExactly(Outcome.DEPLOYED, Outcome.DEPLOYED);
        for (Host h : List.of(a, b)) {
            assertThat(h.files().resolve("current/etc/app.conf")).hasContent("v=1");
        }
        assertThat(home)
                .as("the mount point, seen outside the nodes, stays empty")
                .isEmptyDirectory();

        // a change limited to one target reaches only that target's node
        Files.writeString(tree.resolve("etc/app.conf"), "v=2\n", StandardCharsets.UTF_8);
        DeployReport dbOnly = deploy(nodes, Map.of(), Set.of("db"));
        assertThat(dbOnly.nodes()).singleElement().satisfies(n -> {
            assertThat(n.node().target()).isEqualTo("db");
            assertThat(n.filesSent()).isEqualTo(1);
        });
        assertThat(b.files().resolve("current/etc/app.conf")).hasContent("v=2");
        assertThat(a.files().resolve("current/etc/app.conf")).hasContent("v=1");
        assertThat(report.table().get(0)).contains("node", "outcome", "files", "bytes", "seconds", "reason");
    }

    @Test
    void aNodeDownMidFleetFailsNamedWhileTheOthersReport() throws Exception {
        Host a = host("n1");
        Host down = host("n2");
        Host c = host("n3");
        down.sshd().close();
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        nodes.put(
                "web",
                List.of(a.sshd().hostSpec(), down.sshd().hostSpec(), c.sshd().hostSpec()));

        // one wave, two at a time: the others are deployed and the failure names the node that is down
        DeployReport all = deploy(nodes, Map.of("parallel", 2), Set.of());
        assertThat(all.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.DEPLOYED);
        assertThat(all.failureMessage()).contains(down.sshd().hostSpec(), "cannot connect", "Connection refused");
        assertThat(a.files().resolve("current/etc/app.conf")).exists();
        assertThat(c.files().resolve("current/etc/app.conf")).exists();

        // waves of one: the wave with the dead node fails and the next wave does not start
        Files.writeString(tree.resolve("etc/app.conf"), "v=2\n", StandardCharsets.UTF_8);
        DeployReport waves = deploy(nodes, Map.of("serial", 1), Set.of());
        assertThat(waves.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.FAILED, Outcome.SKIPPED);
        assertThat(waves.failureMessage())
                .contains(down.sshd().hostSpec())
                .doesNotContain(c.sshd().hostSpec());
        assertThat(a.files().resolve("current/etc/app.conf")).hasContent("v=2");
        assertThat(c.files().resolve("current/etc/app.conf")).hasContent("v=1");
        assertThat(waves.table()).anyMatch(l -> l.startsWith(c.sshd().hostSpec()) && l.contains("skipped"));
    }

    /** Fails on a node whose home holds FAIL: postcmd runs in home/releases/<id>. */
    static final String FAILS_ON_MARKED_NODE = "test ! -e ../../FAIL";

    List<Host> fleet(int size, Map<String, List<String>> nodes) throws Exception {
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            hosts.add(host("n" + i));
        }
        nodes.put("web", hosts.stream().map(h -> h.sshd().hostSpec()).toList());
        return hosts;
    }

    static String current(Host h) throws IOException {
        return Files.readSymbolicLink(h.files().resolve("current"))
                .getFileName()
                .toString();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.fleet-revert")
    void onFailureRevertRestoresAFiveNodeFleetWhenOneNodesPostcmdFails() throws Exception {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        List<Host> hosts = fleet(5, nodes);
        DeployReport first = deploy(nodes, Map.of("postcmd", FAILS_ON_MARKED_NODE), Set.of());
        assertThat(first.ok()).as(String.join("\n", first.table())).isTrue();
        String old = first.nodes().get(0).release();

        Files.writeString(tree.resolve("etc/app.conf"), "v=2\n", StandardCharsets.UTF_8);
        Files.writeString(hosts.get(3).files().resolve("FAIL"), "");
        lines.clear();
        DeployReport report = deploy(
                nodes,
                Map.of("postcmd", FAILS_ON_MARKED_NODE, "serial", 2, "parallel", 2, "onFailure", "revert"),
                Set.of());
        assertThat(report.nodes())
                .as(String.join("\n", report.table()))
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.REVERTED, Outcome.REVERTED, Outcome.REVERTED, Outcome.FAILED, Outcome.SKIPPED);
        for (Host h : hosts) {
            assertThat(current(h)).as(h.sshd().name).isEqualTo(old);
            assertThat(h.files().resolve("current/etc/app.conf")).hasContent("v=1");
        }
        // the switch back happened node after node, the last switched first
        List<String> reverted = lines.stream()
                .filter(l -> l.contains(": reverted "))
                .map(l -> l.split(":")[1])
                .toList();
        assertThat(reverted)
                .containsExactly(
                        hosts.get(2).sshd().hostSpec().split(":")[1],
                        hosts.get(1).sshd().hostSpec().split(":")[1],
                        hosts.get(0).sshd().hostSpec().split(":")[1]);
        assertThat(report.table()).filteredOn(l -> l.contains("reverted")).hasSize(3);
        assertThat(report.failureMessage()).contains(hosts.get(3).sshd().hostSpec());
        assertThat(Files.readString(hosts.get(0).files().resolve(".facsimile/deploy-log.jsonl")))
                .contains("\"outcome\":\"reverted\"");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.fleet-twenty")
    void twentyNodesDeployedAtOnceEachEndOnTheSameRelease() throws Exception {
        for (int i = 0; i < 50; i++) {
            Files.writeString(tree.resolve("etc/f" + i + ".conf"), "line " + i + "\n", StandardCharsets.UTF_8);
        }
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        List<Host> hosts = fleet(20, nodes);

        DeployReport report = deploy(nodes, Map.of("parallel", 20), Set.of());

        assertThat(report.ok()).as(String.join("\n", report.table())).isTrue();
        assertThat(report.nodes()).hasSize(20).extracting(NodeResult::outcome).containsOnly(Outcome.DEPLOYED);
        String release = report.nodes().get(0).release();
        for (Host h : hosts) {
            assertThat(current(h)).as(h.sshd().name).isEqualTo(release);
            assertThat(h.files().resolve("current/etc/f49.conf")).hasContent("line 49");
        }
        // a second run finds every node current, by its files
        DeployReport again = deploy(nodes, Map.of("parallel", 20), Set.of());
        assertThat(again.nodes()).extracting(NodeResult::outcome).containsOnly(Outcome.UNCHANGED);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.fleet-canary")
    void aCanaryFailureStopsTheRestOfTheFleet() throws Exception {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        List<Host> hosts = fleet(3, nodes);
        Files.createDirectories(hosts.get(0).files());
        Files.writeString(hosts.get(0).files().resolve("FAIL"), "");
        DeployReport report =
                deploy(nodes, Map.of("postcmd", FAILS_ON_MARKED_NODE, "canary", 1, "maxFailPercentage", 50), Set.of());
        assertThat(report.nodes())
                .extracting(NodeResult::outcome)
                .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(report.nodes().get(2).reason()).isEqualTo("not started: the canary wave failed");
        assertThat(hosts.get(0).files().resolve("current")).doesNotExist();
        assertThat(hosts.get(1).files().resolve("releases")).doesNotExist();
        assertThat(hosts.get(2).files().resolve("releases")).doesNotExist();
    }
}

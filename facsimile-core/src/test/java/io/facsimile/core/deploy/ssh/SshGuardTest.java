package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.TestEngines;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node side of a protected rollout against a real OpenSSH server: time bounds on postcmd and on
 * a silent node, the health check, and the switch back with its log entry. One server for the class.
 */
class SshGuardTest {

    @RegisterExtension
    static final SshServer ssh = new SshServer("guard");

    Path tree;
    Path home;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Runnable onSending = () -> {};

    @BeforeEach
    void tree(@TempDir Path test) throws IOException {
        tree = test.resolve("tree");
        home = test.resolve("home");
        write("app.conf", "v=1\n");
    }

    void write(String path, String content) throws IOException {
        Path p = tree.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    DeploySpec spec(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(extra);
        m.put("home", home.toString());
        m.put("nodes", Map.of("app", List.of(ssh.sshd().hostSpec())));
        return DeploySpec.parse(m);
    }

    NodeResult deploy(DeploySpec spec, String version) {
        DeployEngine engine = TestEngines.engine(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                lines.add(node.name() + ": " + message);
                if (message.startsWith("sending ")) {
                    onSending.run();
                }
            }

            @Override
            public void output(Node node, String text) {
                lines.add(node.name() + "> " + text);
            }
        });
        SshTransportFactory factory = new SshTransportFactory(home.toString(), ssh.credentials(), ssh.hostKeys())
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2));
        List<NodeResult> nodes = engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, version), spec), factory)
                .nodes();
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }

    String current() throws IOException {
        return Files.readSymbolicLink(home.resolve("current")).toString();
    }

    List<String> log() throws IOException {
        return Files.readAllLines(home.resolve(".facsimile/deploy-log.jsonl"));
    }

    /** Nothing of the guard is left in {@code .facsimile/}: no watchdog, token or process group file. */
    void noGuardFilesLeft() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve(".facsimile"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("deploy-log.jsonl");
        }
    }

    @Test
    @Case("deploy.postcmd-timeout")
    void aPostcmdPastItsTimeoutIsKilledOnTheNodeAndTheNodeSwitchedBack() throws Exception {
        NodeResult first = deploy(spec(Map.of()), "1.0");
        assertThat(first.outcome()).as(first.reason()).isEqualTo(Outcome.DEPLOYED);
        write("app.conf", "v=2\n");
        Path pid = home.getParent().resolve("sleep.pid");
        long started = System.nanoTime();
        NodeResult second = deploy(
                spec(Map.of(
                        "postcmd",
                        "sleep 300 & echo $! > '" + pid + "'; wait",
                        "timeouts",
                        Map.of("postcmd", "2s", "confirm", "30s"))),
                "2.0");
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(second.outcome()).as(second.reason()).isEqualTo(Outcome.FAILED);
        assertThat(second.reason())
                .contains("did not finish within 2s and was killed")
                .contains("current switched back to " + first.release());
        assertThat(seconds).as("seconds for a 2s postcmd bound, under load").isLessThan(120);
        assertThat(current()).isEqualTo("releases/" + first.release());
        long sleeper = Long.parseLong(Files.readString(pid).trim());
        // Killed, it is a zombie until this VM's init reaps it, about a second later: isAlive says true till then.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (ProcessHandle.of(sleeper).filter(ProcessHandle::isAlive).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(sleeper).filter(ProcessHandle::isAlive))
                .as("the postcmd's child")
                .isEmpty();
        assertThat(log().get(log().size() - 1))
                .contains("\"release\":\"" + second.release() + "\"")
                .contains("\"outcome\":\"failed\"");
        noGuardFilesLeft();
    }

    @Test
    @Case("deploy.healthcheck")
    void aHealthCheckFailingTwiceThenPassingWithinItsRetriesDeploys() throws Exception {
        Path count = home.getParent().resolve("count");
        String check = "n=$(cat '" + count + "' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '" + count + "'; "
                + "[ $n -ge 3 ] || { echo not yet $n; exit 1; }";
        NodeResult result =
                deploy(spec(Map.of("healthcheck", Map.of("command", check, "retries", 2, "interval", "200ms"))), "1.0");

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(Files.readString(count).trim()).isEqualTo("3");
        assertThat(lines)
                .anyMatch(l -> l.contains("failed (attempt 2 of 3, exited with 1: not yet 2)"))
                .anyMatch(l -> l.contains("passed at attempt 3 of 3"));
        assertThat(current()).isEqualTo("releases/" + result.release());
        noGuardFilesLeft();
    }

    @Test
    @Case("deploy.healthcheck")
    void aHealthCheckUrlIsFetchedOnTheNodeAndItsFailureSwitchesBack() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            int n = calls.incrementAndGet();
            exchange.sendResponseHeaders(n <= 2 || n > 3 ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
            NodeResult first =
                    deploy(spec(Map.of("healthcheck", Map.of("url", url, "retries", 2, "interval", "200ms"))), "1.0");
            assertThat(first.outcome()).as(first.reason()).isEqualTo(Outcome.DEPLOYED);
            assertThat(calls).hasValue(3);

            write("app.conf", "v=2\n");
            NodeResult second =
                    deploy(spec(Map.of("healthcheck", Map.of("url", url, "retries", 1, "interval", "200ms"))), "2.0");
            assertThat(second.outcome()).as(second.reason()).isEqualTo(Outcome.FAILED);
            assertThat(second.reason())
                    .contains("health check " + url + " failed 2 time(s)")
                    .contains("current switched back to " + first.release());
            assertThat(current()).isEqualTo("releases/" + first.release());
            assertThat(log().get(log().size() - 1))
                    .contains("\"release\":\"" + second.release() + "\"")
                    .contains("\"outcome\":\"failed\"");
            noGuardFilesLeft();
        } finally {
            server.stop(0);
        }
    }

    @Test
    @Case("deploy.frozen-node")
    void aNodeFrozenMidUploadFailsInBoundedTimeNamingIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            write("data/f" + i + ".bin", "x".repeat(50_000) + i);
        }
        onSending = () -> {
            try {
                ssh.sshd().signal("STOP");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        long started = System.nanoTime();
        NodeResult result;
        try {
            result = deploy(spec(Map.of()), "1.0");
        } finally {
            ssh.sshd().signal("CONT");
            onSending = () -> {};
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.reason()).contains(ssh.sshd().hostSpec());
        assertThat(seconds)
                .as("seconds to give up on a frozen node with 2s of silence allowed")
                .isLessThan(90);
        assertThat(home.resolve("current")).doesNotExist();
    }
}

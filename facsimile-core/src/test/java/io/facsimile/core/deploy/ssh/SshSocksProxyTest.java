package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy through a SOCKS proxy from settings.xml's {@code <proxies>}: a real one, OpenSSH's dynamic
 * forwarding ({@code ssh -N -D}) through a first sshd that logs at DEBUG1, so its log shows the forward to
 * the node; the node is a second sshd on 127.0.0.1.
 */
class SshSocksProxyTest {

    @RegisterExtension
    static final SshServer node = new SshServer("socks-node");

    @TempDir
    static Path dir;

    static Path userKey;
    static Sshd proxyServer;
    static Sshd target;
    static Process socks;
    static int socksPort;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "no OpenSSH client at /usr/bin/ssh");
        userKey = Sshd.keygen(dir.resolve("keys/id"), "ed25519");
        Path proxyHostKey = Sshd.keygen(dir.resolve("proxy/host"), "ed25519");
        proxyServer = Sshd.start(
                dir, "proxy", List.of(proxyHostKey), userKey, Sshd.freePort(), null, null, List.of("LogLevel DEBUG1"));
        target = node.sshd();
        Path proxyKnown = Files.writeString(dir.resolve("proxy_known_hosts"), proxyServer.knownHostsLine());
        socksPort = Sshd.freePort();
        socks = new ProcessBuilder(
                        "/usr/bin/ssh",
                        "-F",
                        "/dev/null",
                        "-N",
                        "-D",
                        "127.0.0.1:" + socksPort,
                        "-i",
                        userKey.toString(),
                        "-o",
                        "UserKnownHostsFile=" + proxyKnown,
                        "-o",
                        "StrictHostKeyChecking=yes",
                        "-o",
                        "BatchMode=yes",
                        "-p",
                        Integer.toString(proxyServer.port),
                        "root@127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("socks.log").toFile())
                .start();
        awaitListening(socksPort);
    }

    private static void awaitListening(int port) throws Exception {
        for (long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); System.nanoTime() < end; ) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!socks.isAlive()) {
                    throw new IllegalStateException("ssh -D ended: " + Files.readString(dir.resolve("socks.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("ssh -D is not listening on " + port);
    }

    @AfterAll
    static void stop() {
        if (socks != null) {
            socks.destroy();
        }
        if (proxyServer != null) {
            proxyServer.close();
        }
    }

    static NodeResult deploy(String home, int proxyPort, Path known, boolean acceptNew) throws Exception {
        Path tree = dir.resolve("release-" + home + "/_DEPLOY_");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.conf"), "port=1\n", StandardCharsets.UTF_8);
        Path homeDir = dir.resolve("srv/" + home);
        DeploySpec spec = DeploySpec.parse(
                Map.of("home", homeDir.toString(), "nodes", Map.of("app", List.of(target.hostSpec()))));
        SocksProxy proxy = new SocksProxy("corp", "socks5", "127.0.0.1", proxyPort, false);
        SshTransportFactory factory = new SshTransportFactory(
                        homeDir.toString(), node.credentials(), "deploy.user", new HostKeyPolicy(known, acceptNew))
                .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .proxies(host -> host.equals("127.0.0.1") ? Optional.of(proxy) : Optional.empty());
        return OneNode.deploy(tree, spec, factory);
    }

    @Test
    void aDeployGoesThroughTheSocksProxyAndKnowsTheNodeByItsOwnHostAndPort() throws Exception {
        Path known = Files.writeString(dir.resolve("known_hosts_new"), "");

        NodeResult first = deploy("a", socksPort, known, true);

        assertThat(first.outcome()).as(first.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(dir.resolve("srv/a/current/etc/app.conf")).hasContent("port=1");
        // the node was reached by the forward that the proxy's ssh -D asked its server for, not directly
        assertThat(proxyServer.logs())
                .contains("direct-tcpip")
                .containsPattern("target 127\\.0\\.0\\.1 port " + target.port);
        // its new host key was recorded for the node's host and port, not for the loopback relay
        List<String> lines = Files.readAllLines(known);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("[127.0.0.1]:" + target.port + " ");

        // and, no longer accepting new keys, the next deploy through the proxy finds that key
        NodeResult again = deploy("a", socksPort, known, false);
        assertThat(again.outcome()).as(again.reason()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aProxyThatIsDownFailsTheNodeNamingTheProxy() throws Exception {
        int nothing = Sshd.freePort();

        Path known = Files.writeString(dir.resolve("known_hosts"), target.knownHostsLine());

        NodeResult r = deploy("c", nothing, known, false);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason())
                .contains("cannot connect to 127.0.0.1:" + target.port)
                .contains("through settings.xml's socks5 proxy corp (127.0.0.1:" + nothing + ")")
                .contains("Connection refused");
        assertThat(dir.resolve("srv/c/current")).doesNotExist();
    }

    @Test
    void theRelayServesOnlyTheLocalPortItWasOpenedForSoNoOtherProcessCanTakeTheTunnel() throws Exception {
        int expected = Sshd.freePort();
        InetSocketAddress relay = SocksRelay.open(
                new SocksProxy("corp", "socks5", "127.0.0.1", socksPort, false),
                "127.0.0.1",
                target.port,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), expected),
                Duration.ofSeconds(10));

        try (Socket intruder = new Socket()) {
            intruder.connect(relay, 2000);
            intruder.setSoTimeout(5000);
            assertThat(intruder.getInputStream().read())
                    .as("closed without a byte of the node's")
                    .isEqualTo(-1);
        }
        try (Socket mina = new Socket()) {
            mina.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), expected));
            mina.connect(relay, 2000);
            mina.setSoTimeout(10000);
            byte[] banner = mina.getInputStream().readNBytes(8);
            assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-");
        }
    }
}

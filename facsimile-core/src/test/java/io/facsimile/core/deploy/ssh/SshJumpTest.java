package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy through a jump host: two real OpenSSH servers on 127.0.0.1, the jump host and the node, each
 * authorizing its own key. The jump server logs at DEBUG1, so its log shows the forward to the node.
 */
class SshJumpTest {

    @RegisterExtension
    static final SshServer node = new SshServer("jump-node");

    @TempDir
    static Path dir;

    static Path jumpKey;
    static Path nodeKey;
    static Sshd jump;
    static Sshd target;
    static Path knownHosts;

    @BeforeAll
    static void start() throws Exception {
        Path jumpHostKey = Sshd.keygen(dir.resolve("jump/host"), "ed25519");
        jumpKey = Sshd.keygen(dir.resolve("keys/id_jump"), "ed25519");
        jump = Sshd.start(
                dir, "jump", List.of(jumpHostKey), jumpKey, Sshd.freePort(), null, null, List.of("LogLevel DEBUG1"));
        target = node.sshd();
        nodeKey = node.userKey();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, jump.knownHostsLine() + target.knownHostsLine());
    }

    @AfterAll
    static void stop() {
        if (jump != null) {
            jump.close();
        }
    }

    static NodeResult deploy(String home, SshCredentials jumpLogin, Path known) throws Exception {
        Path tree = dir.resolve("release-" + home + "/_DEPLOY_");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.conf"), "port=1\n", StandardCharsets.UTF_8);
        Path homeDir = dir.resolve("srv/" + home);
        DeploySpec spec = DeploySpec.parse(Map.of(
                "home",
                homeDir.toString(),
                "jump",
                jump.hostSpec(),
                "nodes",
                Map.of("app", List.of(target.hostSpec()))));
        assertThat(spec.jump().port()).isEqualTo(jump.port);
        JumpHost through = new JumpHost(
                new Node(
                        "jump",
                        spec.jump().spec(),
                        spec.jump().host(),
                        spec.jump().port()),
                jumpLogin,
                "deploy.jump.user");
        SshTransportFactory factory = new SshTransportFactory(
                homeDir.toString(),
                new SshCredentials("root", null, nodeKey, null),
                "deploy.user",
                new HostKeyPolicy(known, false),
                through);
        return OneNode.deploy(tree, spec, factory);
    }

    @Test
    void aDeployGoesThroughTheJumpHostWithItsOwnKey() throws Exception {
        NodeResult r = deploy("a", new SshCredentials("root", null, jumpKey, null), knownHosts);

        assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(dir.resolve("srv/a/current/etc/app.conf")).hasContent("port=1");
        // the node was reached by a forward the jump host opened, not directly
        assertThat(jump.logs()).contains("direct-tcpip").containsPattern("target 127\\.0\\.0\\.1 port " + target.port);
    }

    @Test
    void aJumpHostThatRefusesTheLoginSaysSoAndNamesItsKeys() throws Exception {
        // the node's key is not the jump host's: the jump host must be logged in to with its own
        NodeResult r = deploy("b", new SshCredentials("root", null, nodeKey, null), knownHosts);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason())
                .contains(
                        "authentication failed on the jump host " + jump.hostSpec(),
                        "root@127.0.0.1:" + jump.port,
                        "from deploy.jump.user",
                        "tried " + nodeKey);
        assertThat(r.failure().isUserError()).isTrue();
        assertThat(dir.resolve("srv/b/current")).doesNotExist();
    }

    @Test
    void theJumpHostsKeyIsCheckedLikeAnyNodes() throws Exception {
        Path onlyTheNode = dir.resolve("known_hosts_node_only");
        Files.writeString(onlyTheNode, target.knownHostsLine());

        NodeResult r = deploy("c", new SshCredentials("root", null, jumpKey, null), onlyTheNode);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("the host key of 127.0.0.1:" + jump.port + " is unknown");
        assertThat(dir.resolve("srv/c/current")).doesNotExist();
    }
}

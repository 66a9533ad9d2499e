package io.facsimile.core.deploy.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real sshd whose commands run through root's bash with a {@code ~/.bashrc} of the test's own, which
 * bash reads before every command sshd runs (Debian's bash is built with {@code SSH_SOURCE_BASHRC}), as a
 * node with pyenv, nvm or a warning in its shell start-up does.
 */
final class BashrcNode implements AutoCloseable {

    final Path home;
    private final Path userKey;
    private final Path known;
    private final Sshd sshd;

    private BashrcNode(Path home, Path userKey, Path known, Sshd sshd) {
        this.home = home;
        this.userKey = userKey;
        this.known = known;
        this.sshd = sshd;
    }

    /** Starts the node, its {@code ~/.bashrc} holding {@code bashrc}; skips the test without an sshd. */
    static BashrcNode start(Path dir, String name, String bashrc) throws IOException, InterruptedException {
        assumeTrue(Sshd.available(), "no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server)");
        Path userKey = Sshd.keygen(dir.resolve("keys/id"), "ed25519");
        Path home = Files.createDirectories(dir.resolve("node-home"));
        Files.writeString(home.resolve(".bashrc"), "echo x >> " + home.resolve("ran") + "\n" + bashrc);
        Sshd sshd = Sshd.start(
                dir,
                name,
                List.of(Sshd.keygen(dir.resolve("host"), "ed25519")),
                userKey,
                Sshd.freePort(),
                null,
                null,
                List.of("SetEnv HOME=" + home));
        return new BashrcNode(
                home, userKey, Files.writeString(dir.resolve("known_hosts"), sshd.knownHostsLine()), sshd);
    }

    /** Deploys {@code tree} as version 1.0 into {@code deployHome} on this node. */
    NodeResult deploy(Path tree, Path deployHome) {
        DeploySpec spec = DeploySpec.parse(
                Map.of("home", deployHome.toString(), "nodes", Map.of("app", List.of(sshd.hostSpec()))));
        SshTransportFactory factory = new SshTransportFactory(
                deployHome.toString(),
                new SshCredentials("root", null, userKey, null),
                "deploy.user",
                new HostKeyPolicy(known, false));
        return OneNode.deploy(tree, spec, factory);
    }

    /** Skips the test when bash did not read the {@code ~/.bashrc} for the commands run so far. */
    void assumeBashrcRead() {
        assumeTrue(
                Files.exists(home.resolve("ran")),
                "this bash does not read ~/.bashrc for commands run by sshd (SSH_SOURCE_BASHRC)");
    }

    @Override
    public void close() {
        sshd.close();
    }
}

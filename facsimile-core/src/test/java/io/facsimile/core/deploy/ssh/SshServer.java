package io.facsimile.core.deploy.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real sshd shared by the tests of a class, with a user key it authorizes and a {@code known_hosts}
 * that trusts its host key: started before the first test, stopped (and its files deleted) after the
 * last. A class without an OpenSSH server is skipped. Register it as
 * {@code @RegisterExtension static final SshServer ssh = new SshServer("guard");}.
 */
final class SshServer implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private Path dir;
    private Sshd sshd;
    private Path userKey;
    private Path knownHosts;

    /** @param name the server's name in its directory and in failure messages */
    SshServer(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(Sshd.available(), "no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server)");
        dir = Files.createTempDirectory("facsimile-sshd-" + name);
        Path hostKey = Sshd.keygen(dir.resolve("host/key"));
        userKey = Sshd.keygen(dir.resolve("user/id_ecdsa"));
        sshd = Sshd.start(dir, name, hostKey, userKey);
        knownHosts = Files.writeString(dir.resolve("known_hosts"), sshd.knownHostsLine());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (sshd != null) {
            sshd.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The running server. */
    Sshd sshd() {
        return sshd;
    }

    /** The private key the server authorizes for root. */
    Path userKey() {
        return userKey;
    }

    /** A {@code known_hosts} file with the server's host key. */
    Path knownHosts() {
        return knownHosts;
    }

    /** Root's login with {@link #userKey()}. */
    SshCredentials credentials() {
        return new SshCredentials("root", null, userKey, null);
    }

    /** Host keys checked against {@link #knownHosts()}, none accepted as new. */
    HostKeyPolicy hostKeys() {
        return new HostKeyPolicy(knownHosts, false);
    }

    /** The server as a node of {@code target}, named {@code 127.0.0.1:port} as {@code deploy.nodes} writes it. */
    Node node(String target) {
        return new Node(target, sshd.hostSpec(), "127.0.0.1", sshd.port);
    }
}

package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.Node;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login problems found before any connection is tried. */
class SshTransportFactoryTest {

    @TempDir
    Path dir;

    @Test
    void aMissingPrivateKeyFileIsNotFoundNotAWrongPassphrase() {
        Path missing = dir.resolve("keys/id_ed25519");
        SshTransportFactory factory = new SshTransportFactory(
                "/srv/app",
                new SshCredentials("deployer", null, missing, "secret-passphrase"),
                new HostKeyPolicy(dir.resolve("known_hosts"), false));

        // port 9 of 127.0.0.1 (discard): nothing listens, and nothing is tried
        assertThatThrownBy(() -> factory.open(new Node("app", "db1", "127.0.0.1", 9)))
                .isInstanceOf(DeployException.class)
                .hasMessage("the private key " + missing + " for deployer@127.0.0.1 (db1) is not found; point"
                        + " <privateKey> of the settings.xml <server> at an existing file")
                .satisfies(e -> assertThat(((DeployException) e).isUserError()).isTrue());
    }

    @Test
    void anUnknownCipherIsAUserErrorNamingIt() {
        SshTransportFactory factory = new SshTransportFactory(
                "/srv/app", SshCredentials.defaults(), new HostKeyPolicy(dir.resolve("known_hosts"), false));

        assertThatThrownBy(() -> factory.ciphers("aes128-gcm@openssh.com,rot13"))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith(
                        "the SSH cipher list \"aes128-gcm@openssh.com,rot13\" names unknown ciphers [rot13];"
                                + " known are chacha20-poly1305@openssh.com,")
                .satisfies(e -> assertThat(((DeployException) e).isUserError()).isTrue());
    }
}

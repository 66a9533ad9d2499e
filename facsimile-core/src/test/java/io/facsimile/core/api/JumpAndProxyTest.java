package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static io.facsimile.core.testing.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.Jump;
import io.facsimile.core.deploy.NodeAddress;
import io.facsimile.core.deploy.ssh.CredentialLookup;
import io.facsimile.core.deploy.ssh.HostKeyPolicy;
import io.facsimile.core.deploy.ssh.SocksProxy;
import io.facsimile.core.deploy.ssh.SshCredentials;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy.jump as written, its own settings.xml server, and the refusal of a SOCKS proxy SSH cannot use. */
class JumpAndProxyTest {

    @TempDir
    Path basedir;

    @Test
    void aJumpHostIsHostPortOrAMapWithItsOwnUserAndServer() {
        Jump plain = DeploySpec.parse(Map.of("jump", "bastion.example.net")).jump();
        assertThat(plain)
                .isEqualTo(new Jump(new NodeAddress("bastion.example.net", "bastion.example.net", 22), null, null));
        Jump full = DeploySpec.parse(Map.of("jump", Map.of("host", "[::1]:2222", "user", "ops", "server", "b")))
                .jump();
        assertThat(full).isEqualTo(new Jump(new NodeAddress("[::1]:2222", "::1", 2222), "ops", "b"));
        assertThat(DeploySpec.parse(Map.of()).jump()).isNull();

        assertThatThrownBy(() -> DeploySpec.parse(Map.of("jump", "bastion:ssh")))
                .hasMessage("deploy.jump: \"bastion:ssh\" has a port that is not a number; write host or host:port");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("jump", Map.of("host", "b", "port", 22))))
                .hasMessage(
                        "deploy.jump.port is not a jump host setting (did you mean host?); known are [host, server, user]");
        assertThatThrownBy(() -> DeploySpec.parse(Map.of("jump", Map.of("user", "ops"))))
                .hasMessage("deploy.jump.host is required: the jump host as host or host:port");
    }

    private Facsimile facsimile() {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        return new Facsimile(FacsimileConfig.defaults(project), new RecordingReporter());
    }

    private DeployOptions options(CredentialLookup credentials) {
        return new DeployOptions(Set.of(), false, null, credentials, new HostKeyPolicy(basedir.resolve("kh"), false));
    }

    @Test
    void aJumpServerThatSettingsLackIsRefusedBeforeAnyConnection() {
        write(basedir, "src/main/facsimile/facsimile.yaml", "x: 1");
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "deploy: {home: /srv/shop, nodes: {web: [web1]},",
                "  jump: {host: 'bastion:2222', server: bastion}}");
        CredentialLookup onlyNodes = id -> id.equals("facsimile.prod")
                ? Optional.of(new SshCredentials("shop", null, null, null))
                : Optional.empty();

        assertThatThrownBy(() -> facsimile().deploy("prod", options(onlyNodes), NO_ARTIFACTS))
                .isInstanceOf(FacsimileException.class)
                .matches(e -> ((FacsimileException) e).isUserError())
                .hasMessageContaining("deploy.jump.server names the settings.xml <server> bastion, which is not there");
    }

    @Test
    void anActiveSocksProxyWithALoginIsRefusedNamingItAndTheWayAround() {
        write(basedir, "src/main/facsimile/facsimile.yaml", "x: 1");
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: /srv/shop, nodes: {web: [web1]}}");
        CredentialLookup behindSocks = new CredentialLookup() {
            @Override
            public Optional<SshCredentials> find(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<SocksProxy> socksProxyFor(String host) {
                return host.equals("web1")
                        ? Optional.of(new SocksProxy("corp", "socks5", "proxy.corp", 1080, true))
                        : Optional.empty();
            }
        };

        assertThatThrownBy(() -> facsimile().deploy("prod", options(behindSocks), NO_ARTIFACTS))
                .isInstanceOf(FacsimileException.class)
                .matches(e -> ((FacsimileException) e).isUserError())
                .hasMessageContaining("settings.xml's socks5 proxy corp (proxy.corp:1080) is active for web1 and has a"
                        + " <username>, but SSH deploys go through SOCKS proxies without a login only")
                .hasMessageContaining("deploy.jump");
    }
}

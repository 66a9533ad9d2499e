package io.facsimile.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.ssh.SocksProxy;
import io.facsimile.core.deploy.ssh.SshCredentials;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.Test;

class SettingsCredentialsTest {

    /** "Decrypts" {enc} to the text inside the braces, as Maven would with a master password. */
    static final SettingsDecrypter DECRYPTER = request -> {
        Server in = request.getServers().get(0);
        Server out = in.clone();
        out.setPassword(strip(in.getPassword()));
        out.setPassphrase(strip(in.getPassphrase()));
        return result(out, List.of());
    };

    static String strip(String v) {
        return v == null ? null : v.replaceAll("^\\{(.*)}$", "$1");
    }

    static SettingsDecryptionResult result(Server server, List<SettingsProblem> problems) {
        return new SettingsDecryptionResult() {
            @Override
            public Server getServer() {
                return server;
            }

            @Override
            public List<Server> getServers() {
                return List.of(server);
            }

            @Override
            public org.apache.maven.settings.Proxy getProxy() {
                return null;
            }

            @Override
            public List<org.apache.maven.settings.Proxy> getProxies() {
                return List.of();
            }

            @Override
            public List<SettingsProblem> getProblems() {
                return problems;
            }
        };
    }

    static Settings settings(Server... servers) {
        Settings s = new Settings();
        for (Server server : servers) {
            s.addServer(server);
        }
        return s;
    }

    static Server server(String id, String user, String password, String key, String passphrase) {
        Server s = new Server();
        s.setId(id);
        s.setUsername(user);
        s.setPassword(password);
        s.setPrivateKey(key);
        s.setPassphrase(passphrase);
        return s;
    }

    @Test
    void readsAndDecryptsTheServer() {
        SettingsCredentials lookup = new SettingsCredentials(
                settings(server("facsimile.prod", "shop", null, "/keys/id_ecdsa", "{secret}")), DECRYPTER);
        SshCredentials c = lookup.find("facsimile.prod").orElseThrow();
        assertThat(c.user()).isEqualTo("shop");
        assertThat(c.privateKey()).isEqualTo(Path.of("/keys/id_ecdsa"));
        assertThat(c.passphrase()).isEqualTo("secret");
        assertThat(c.password()).isNull();
        assertThat(c.toString()).doesNotContain("secret");
        assertThat(lookup.find("facsimile.other")).isEmpty();
    }

    @Test
    void relativeAndTildeKeysAreBelowTheHomeDirectory() {
        String home = System.getProperty("user.home");
        SettingsCredentials lookup = new SettingsCredentials(
                settings(server("a", "u", null, "~/.ssh/id_rsa", null), server("b", "u", "{pw}", ".ssh/k", null)),
                DECRYPTER);
        assertThat(lookup.find("a").orElseThrow().privateKey()).isEqualTo(Path.of(home, ".ssh/id_rsa"));
        SshCredentials b = lookup.find("b").orElseThrow();
        assertThat(b.privateKey()).isEqualTo(Path.of(home, ".ssh/k"));
        assertThat(b.password()).isEqualTo("pw");
        assertThat(b.withUser("deployer").login()).as("deploy.user wins").isEqualTo("deployer");
    }

    @Test
    void aDecryptionProblemNamesTheServer() {
        SettingsDecrypter broken = request -> result(
                request.getServers().get(0),
                List.of(new DefaultSettingsProblem(
                        "master password missing",
                        SettingsProblem.Severity.ERROR,
                        "settings-security.xml",
                        -1,
                        -1,
                        null)));
        SettingsCredentials lookup = new SettingsCredentials(settings(server("s", "u", "{x}", null, null)), broken);
        assertThatThrownBy(() -> lookup.find("s"))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("<server> s")
                .hasMessageContaining("master password missing");
    }

    static org.apache.maven.settings.Proxy proxy(String id, String protocol, boolean active, String nonProxyHosts) {
        org.apache.maven.settings.Proxy proxy = new org.apache.maven.settings.Proxy();
        proxy.setId(id);
        proxy.setProtocol(protocol);
        proxy.setHost("proxy.corp");
        proxy.setPort(1080);
        proxy.setActive(active);
        proxy.setNonProxyHosts(nonProxyHosts);
        return proxy;
    }

    @Test
    void anActiveSocksProxyIsFoundForHostsItsNonProxyHostsDoNotName() {
        Settings settings = new Settings();
        settings.addProxy(proxy("web", "http", true, null));
        settings.addProxy(proxy("off", "socks5", false, null));
        settings.addProxy(proxy("corp", "socks5", true, "*.internal|bastion.example.net"));
        SettingsCredentials lookup = new SettingsCredentials(settings, DECRYPTER);

        assertThat(lookup.socksProxyFor("web1.example.net"))
                .contains(new SocksProxy("corp", "socks5", "proxy.corp", 1080, false));
        assertThat(lookup.socksProxyFor("db.INTERNAL")).isEmpty();
        assertThat(lookup.socksProxyFor("bastion.example.net")).isEmpty();
        assertThat(new SettingsCredentials(null, DECRYPTER).socksProxyFor("web1"))
                .isEmpty();
    }

    @Test
    void aSocksProxyWithAUsernameSaysItWantsALogin() {
        Settings settings = new Settings();
        org.apache.maven.settings.Proxy proxy = proxy("corp", "SOCKS5", true, null);
        proxy.setUsername("ops");
        settings.addProxy(proxy);
        assertThat(new SettingsCredentials(settings, DECRYPTER).socksProxyFor("web1"))
                .contains(new SocksProxy("corp", "socks5", "proxy.corp", 1080, true));
    }

    @Test
    void httpProxiesServeDownloadsAndAreNotForSsh() {
        Settings settings = new Settings();
        settings.addProxy(proxy("web", "https", true, null));
        assertThat(new SettingsCredentials(settings, DECRYPTER).socksProxyFor("web1.example.net"))
                .isEmpty();
    }
}

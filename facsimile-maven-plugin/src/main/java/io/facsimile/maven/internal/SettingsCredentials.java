package io.facsimile.maven.internal;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.ssh.CredentialLookup;
import io.facsimile.core.deploy.ssh.SocksProxy;
import io.facsimile.core.deploy.ssh.SshCredentials;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The deploy's SSH login from a settings.xml {@code <server>}: {@code username}, {@code password},
 * {@code privateKey} and {@code passphrase}, decrypted by Maven's {@link SettingsDecrypter} (so
 * {@code {...}} values encrypted with {@code mvn --encrypt-password} work). A relative
 * {@code privateKey} is relative to the user's home, and {@code ~/} is expanded.
 */
public final class SettingsCredentials implements CredentialLookup {

    private final Settings settings;
    private final SettingsDecrypter decrypter;

    public SettingsCredentials(Settings settings, SettingsDecrypter decrypter) {
        this.settings = settings;
        this.decrypter = decrypter;
    }

    @Override
    public Optional<SshCredentials> find(String id) {
        return DecryptedServers.find(
                        settings,
                        decrypter,
                        id,
                        problems -> new DeployException("cannot decrypt <server> " + id + " of settings.xml: "
                                + problems + ". Check ~/.m2/settings-security.xml and the encrypted values"))
                .map(s -> new SshCredentials(
                        s.getUsername(),
                        blankToNull(s.getPassword()),
                        keyPath(s.getPrivateKey()),
                        blankToNull(s.getPassphrase())));
    }

    /** The first active {@code <proxy>} with protocol socks4/socks5 whose {@code nonProxyHosts} do not name host. */
    @Override
    public Optional<SocksProxy> socksProxyFor(String host) {
        if (settings == null) {
            return Optional.empty();
        }
        return settings.getProxies().stream()
                .filter(proxy -> proxy.isActive()
                        && proxy.getProtocol() != null
                        && proxy.getProtocol().toLowerCase(Locale.ROOT).startsWith("socks"))
                .filter(proxy -> !bypasses(proxy.getNonProxyHosts(), host))
                .findFirst()
                .map(proxy -> new SocksProxy(
                        proxy.getId(),
                        proxy.getProtocol().toLowerCase(Locale.ROOT),
                        proxy.getHost(),
                        proxy.getPort(),
                        proxy.getUsername() != null && !proxy.getUsername().isBlank()));
    }

    /** Maven's nonProxyHosts: names and {@code *} patterns, separated by {@code |} or {@code ,}. */
    private static boolean bypasses(String nonProxyHosts, String host) {
        if (nonProxyHosts == null) {
            return false;
        }
        for (String pattern : nonProxyHosts.split("[|,]")) {
            String glob = pattern.strip().toLowerCase(Locale.ROOT);
            String regex =
                    Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
            if (!glob.isEmpty() && host.toLowerCase(Locale.ROOT).matches(regex)) {
                return true;
            }
        }
        return false;
    }

    private static Path keyPath(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        String home = System.getProperty("user.home");
        if (key.startsWith("~/")) {
            return Path.of(home, key.substring(2));
        }
        Path p = Path.of(key);
        return p.isAbsolute() ? p : Path.of(home).resolve(p);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.Transport;
import io.facsimile.core.deploy.TransportFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionCreator;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.cipher.CipherFactory;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Opens an {@link SshTransport} per node: one SSH client and session, host key checked by the
 * {@link HostKeyPolicy} before anything is sent, then authenticated with the {@link SshCredentials}.
 * Never accepts a host key blindly.
 */
public final class SshTransportFactory implements TransportFactory {

    /** How long connecting, key exchange, authentication and opening a channel may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /**
     * The ciphers offered, best first, unless {@link #ciphers(String)} names others: MINA SSHD's own order.
     * Its first, ChaCha20-Poly1305, is plain Java and yet the cheapest in a deploy's fresh JVM: 20 threads
     * sending 6 MB each took 1.7 s of CPU with it, 3.1 s with AES-GCM, whose GHASH runs without its
     * processor instructions until the JIT compiler gets to it. The node picks the first of these its sshd
     * allows ({@code Ciphers} in sshd_config).
     */
    static final String CIPHERS = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
            + "aes128-gcm@openssh.com,aes256-gcm@openssh.com";

    private final String home;
    private final SshCredentials credentials;
    private final String userOrigin;
    private final ServerKeyVerifier hostKeys;
    private final Path knownHosts;
    private final JumpHost jump;
    private Function<String, Optional<SocksProxy>> proxies = host -> Optional.empty();
    private Liveness liveness = Liveness.DEFAULT;
    /** The tar streams of this run, each built once for all nodes: up to 64 MiB together, in the build's memory. */
    private final TarCache tars = new TarCache(64L << 20);
    /**
     * The key pairs read for this run, by file and passphrase: a fleet's nodes read and decrypt a key once
     * (an OpenSSH key with a passphrase costs a bcrypt key derivation each time), not once per node.
     */
    private final Map<List<String>, KeyRead> keyPairs = new ConcurrentHashMap<>();

    /**
     * A key file as read: its pairs, or why it cannot be read ({@code refusal}, with its {@code cause}); a
     * wrong passphrase is tried once per run, not once per node.
     */
    private record KeyRead(List<KeyPair> pairs, String refusal, Exception cause) {}

    private List<NamedFactory<Cipher>> ciphers = parseCiphers(CIPHERS);

    /**
     * A factory for the nodes of one deploy.
     *
     * @param home the deploy home on every node ({@code deploy.home})
     * @param credentials how to log in
     * @param hostKeys how host keys are checked
     */
    public SshTransportFactory(String home, SshCredentials credentials, HostKeyPolicy hostKeys) {
        this(
                home,
                credentials,
                credentials.user() == null || credentials.user().isBlank() ? "the local user name" : "the credentials",
                hostKeys);
    }

    /**
     * A factory for the nodes of one deploy, saying in its errors where the login name came from.
     *
     * @param home the deploy home on every node ({@code deploy.home})
     * @param credentials how to log in
     * @param userOrigin where the login name came from ({@code deploy.user}, the settings.xml {@code <server>} …)
     * @param hostKeys how host keys are checked
     */
    public SshTransportFactory(String home, SshCredentials credentials, String userOrigin, HostKeyPolicy hostKeys) {
        this(home, credentials, userOrigin, hostKeys, null);
    }

    /**
     * A factory for the nodes of one deploy, each reached through a jump host when one is given.
     *
     * @param home the deploy home on every node ({@code deploy.home})
     * @param credentials how to log in to the nodes
     * @param userOrigin where the login name came from ({@code deploy.user}, the settings.xml {@code <server>} …)
     * @param hostKeys how host keys are checked, the jump host's too
     * @param jump the jump host every connection goes through, or {@code null} to connect directly
     */
    public SshTransportFactory(
            String home, SshCredentials credentials, String userOrigin, HostKeyPolicy hostKeys, JumpHost jump) {
        this.jump = jump;
        this.home = Objects.requireNonNull(home, "home");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.userOrigin = Objects.requireNonNull(userOrigin, "userOrigin");
        this.hostKeys = HostKeys.verifier(Objects.requireNonNull(hostKeys, "hostKeys"));
        this.knownHosts = hostKeys.knownHosts();
    }

    /**
     * Sets the time bounds of every connection (default {@link Liveness#DEFAULT}).
     *
     * @param connect how long connecting and logging in may take
     * @param silence how long a node may answer nothing, keepalives included, before it fails
     * @return this factory
     */
    public SshTransportFactory timeouts(Duration connect, Duration silence) {
        this.liveness = new Liveness(connect, silence);
        return this;
    }

    /**
     * Sets the SOCKS proxy of each host (settings.xml's {@code <proxies>}): the first host a connection dials,
     * the jump host or the node, is reached through the proxy this gives for it.
     *
     * @param proxies host → its proxy, or empty to connect directly
     * @return this factory
     */
    public SshTransportFactory proxies(Function<String, Optional<SocksProxy>> proxies) {
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        return this;
    }

    /**
     * Sets the ciphers offered to every node, best first, as OpenSSH's {@code Ciphers} names them.
     *
     * @param names comma-separated cipher names ({@code aes128-gcm@openssh.com,aes128-ctr})
     * @return this factory
     * @throws DeployException (a user error) naming what MINA SSHD does not know
     */
    public SshTransportFactory ciphers(String names) {
        this.ciphers = parseCiphers(names);
        return this;
    }

    private static List<NamedFactory<Cipher>> parseCiphers(String names) {
        BuiltinCiphers.ParseResult parsed = BuiltinCiphers.parseCiphersList(names);
        List<NamedFactory<Cipher>> supported = parsed.getParsedFactories().stream()
                .filter(CipherFactory::isSupported)
                .<NamedFactory<Cipher>>map(f -> f)
                .toList();
        if (!parsed.getUnsupportedFactories().isEmpty() || supported.isEmpty()) {
            throw DeployException.refused("the SSH cipher list \"" + names + "\" "
                    + (parsed.getUnsupportedFactories().isEmpty()
                            ? "names no cipher this JVM supports"
                            : "names unknown ciphers " + parsed.getUnsupportedFactories())
                    + "; known are " + CIPHERS + " and the older aes*-cbc: fix -Dfacsimile.ssh.ciphers (<sshCiphers>),"
                    + " or leave it out for these");
        }
        return supported;
    }

    /**
     * Loads, on a daemon thread of its own, the classes of MINA SSHD's client and its default factories:
     * some 300 ms in a fresh JVM, which a login that comes later then does not wait for.
     */
    public static void loadClassesAhead() {
        Thread loading = new Thread(
                () -> {
                    try {
                        SshClient.setUpDefaultClient();
                    } catch (Throwable e) {
                        // not said here: the login that needs them fails naming what is wrong
                    }
                },
                "facsimile-ssh-classes");
        loading.setDaemon(true);
        loading.start();
    }

    @Override
    public Transport open(Node node) {
        String user = credentials.login();
        Path key = credentials.privateKey();
        if (key != null && !Files.isRegularFile(key)) {
            // before any connection: a missing file is not a wrong passphrase
            throw DeployException.refused("the private key " + key + " for " + user + "@" + node.host() + " ("
                    + node.name()
                    + ") is not found; point <privateKey> of the settings.xml <server> at an existing file");
        }
        SshClient client = SshClient.setUpDefaultClient();
        Optional<SocksProxy> proxy =
                proxies.apply(jump == null ? node.host() : jump.node().host());
        client.setIoServiceFactoryFactory(
                proxy.isPresent()
                        ? new SocksConnectors(proxy.get(), liveness.connect())
                        : new Nio2ServiceFactoryFactory());
        client.setServerKeyVerifier(hostKeys);
        // Only what the settings say: no ~/.ssh/config aliases, no agent, no keys picked up by accident.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        preferKnownKeyTypes(client, node);
        client.setCipherFactories(new ArrayList<>(ciphers));
        liveness.apply(client);
        List<String> jumpTried = jump == null ? List.of() : throughJump(client);
        client.start();
        ClientSession session = null;
        HostKeys.Refusal refused = new HostKeys.Refusal();
        String login = user + "@" + node.host() + ":" + node.port() + ", user " + user + " from " + userOrigin
                + (jump == null ? "" : ", through the jump host " + jump.node().name())
                + proxy.map(p -> ", through settings.xml's " + p.describe()).orElse("");
        AttributeRepository context = proxy.isPresent() ? refused.proxiedContext() : refused.context();
        List<String> tried = List.of();
        try {
            ConnectFuture connecting = jump == null
                    ? client.connect(user, node.host(), node.port(), context)
                    : client.connect(
                            new HostConfigEntry("", node.host(), node.port(), user, jump.proxyJump()), context, null);
            session = connecting.verify(liveness.connect()).getSession();
            tried = addIdentities(session, node);
            session.auth().verify(liveness.connect());
            return new SshTransport(node, home, user, client, session, tars);
        } catch (IOException | RuntimeException e) {
            String refusal = refused.reason();
            boolean connected = session != null;
            closeQuietly(session, client);
            if (refusal != null) {
                throw new DeployException(refusal);
            }
            if (e instanceof DeployException d) {
                throw d;
            }
            if (!connected
                    && jump != null
                    && e instanceof SshException
                    && e.getMessage() != null
                    && e.getMessage().contains("authentication methods")) {
                throw DeployException.refused(
                        "authentication failed on the jump host " + jump.node().name() + " (for "
                                + node.name() + "; " + jump.login() + ", "
                                + (jumpTried.isEmpty()
                                        ? "no key or password to try"
                                        : "tried " + String.join(", ", jumpTried))
                                + "); set deploy.jump.user or the <username> and"
                                + " <privateKey> of the settings.xml <server> deploy.jump.server names",
                        e);
            }
            if (connected
                    && e instanceof SshException
                    && e.getMessage() != null
                    && e.getMessage().contains("authentication methods")) {
                // the node answered and said no: the user's to fix, in settings.xml or the node's authorized_keys
                throw DeployException.refused(
                        "authentication failed on " + node.name() + " (" + login + ", "
                                + (tried.isEmpty() ? "no key or password to try" : "tried " + String.join(", ", tried))
                                + "); set the user with deploy.user or the settings.xml <server>'s <username>, point its"
                                + " <privateKey> at a key the node's authorized_keys holds",
                        e);
            }
            throw DeployException.broken("cannot connect to " + node.name() + " (" + login + "): " + rootCause(e), e);
        }
    }

    /**
     * Logs in to the jump host with its own credentials: MINA opens that session inside {@code connect} and
     * asks the client for its keys and passwords. The node's session is told apart by the target address MINA
     * gives it, and is offered none of the jump host's (its own are added to it once connected).
     *
     * @return the key files offered to the jump host, filled in as they are read
     */
    private List<String> throughJump(SshClient client) {
        List<String> tried = Collections.synchronizedList(new ArrayList<>());
        SshCredentials login = jump.credentials();
        client.setKeyIdentityProvider(
                session -> isJump(session) ? keys(login, session, jump.node(), tried) : List.of());
        client.setPasswordIdentityProvider(
                session -> isJump(session) ? login.passwordValue().map(List::of).orElse(List.of()) : List.of());
        login.passwordValue().ifPresent(password -> tried.add("the jump host's <server>'s password"));
        return tried;
    }

    private static boolean isJump(SessionContext session) {
        return session instanceof ClientSession client
                && client.getAttribute(ClientSessionCreator.TARGET_SERVER) == null;
    }

    /**
     * Asks first for the host key types known_hosts holds for this node, as OpenSSH does. A node has
     * several host keys (ed25519, ecdsa, rsa); known_hosts often holds one. Offered another type,
     * the check would find no key of that type and call a well-known node unknown.
     */
    private void preferKnownKeyTypes(SshClient client, Node node) {
        List<String> types = new ArrayList<>();
        try {
            if (Files.isReadable(knownHosts)) {
                for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(knownHosts)) {
                    if (e.getKeyEntry() != null && e.isHostMatch(node.host(), node.port())) {
                        types.add(e.getKeyEntry().getKeyType());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // the verifier reads the file again and reports what is wrong with it
        }
        if (types.isEmpty()) {
            return;
        }
        List<NamedFactory<Signature>> factories = new ArrayList<>(client.getSignatureFactories());
        factories.sort(Comparator.comparingInt(f -> signs(f.getName(), types) ? 0 : 1));
        client.setSignatureFactories(factories);
    }

    static boolean signs(String algorithm, List<String> keyTypes) {
        return keyTypes.contains(algorithm)
                || keyTypes.contains("ssh-rsa") && (algorithm.startsWith("rsa-sha2-") || algorithm.equals("ssh-rsa"));
    }

    /** Adds the password and keys to offer; returns what is offered, by file name (never a secret). */
    private List<String> addIdentities(ClientSession session, Node node) {
        List<String> tried = new ArrayList<>();
        credentials.passwordValue().ifPresent(password -> {
            session.addPasswordIdentity(password);
            tried.add("the <server>'s password");
        });
        keys(credentials, session, node, tried).forEach(session::addPublicKeyIdentity);
        return tried;
    }

    /** The keys of the credentials, or the default keys of ~/.ssh when they name neither key nor password. */
    private List<KeyPair> keys(SshCredentials credentials, SessionContext session, Node node, List<String> tried) {
        List<KeyPair> keys = new ArrayList<>();
        if (credentials.privateKey() != null) {
            load(session, credentials.privateKey(), credentials.passphrase(), node)
                    .forEach(keys::add);
            tried.add(credentials.privateKey().toString());
        } else if (credentials.passwordValue().isEmpty()) {
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            for (String name : DEFAULT_KEYS) {
                Path key = ssh.resolve(name);
                if (Files.isReadable(key)) {
                    try {
                        load(session, key, null, node).forEach(keys::add);
                        tried.add(key.toString());
                    } catch (DeployException e) {
                        // A default key we cannot read (passphrase, unsupported type) is simply not offered.
                    }
                }
            }
        }
        return keys;
    }

    /** The key pairs of {@code key}, read when this run first needs them, once whatever comes of it. */
    private List<KeyPair> load(SessionContext session, Path key, String passphrase, Node node) {
        KeyRead read = keyPairs.computeIfAbsent(
                Arrays.asList(key.toAbsolutePath().toString(), passphrase), file -> read(session, key, passphrase));
        if (read.refusal() != null) {
            throw DeployException.refused(
                    "cannot read the private key " + key + " for " + node.name() + ": " + read.refusal()
                            + " (wrong passphrase, or a key format that cannot be read)",
                    read.cause());
        }
        if (read.pairs().isEmpty()) {
            throw new DeployException("the private key " + key + " holds no key that can be used");
        }
        return read.pairs();
    }

    private static KeyRead read(SessionContext session, Path key, String passphrase) {
        try (InputStream in = Files.newInputStream(key)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    session,
                    NamedResource.ofName(key.toString()),
                    in,
                    passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase));
            List<KeyPair> read = new ArrayList<>();
            if (pairs != null) {
                pairs.forEach(read::add);
            }
            return new KeyRead(List.copyOf(read), null, null);
        } catch (IOException | GeneralSecurityException e) {
            return new KeyRead(List.of(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /** MINA wraps the socket's own words ("Connection refused") in its future's description. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t instanceof java.net.ConnectException
                ? message + " (is sshd running there, and is the port right?)"
                : message;
    }

    private static void closeQuietly(ClientSession session, SshClient client) {
        try {
            if (session != null) {
                session.close(true);
            }
        } finally {
            client.stop();
        }
    }
}

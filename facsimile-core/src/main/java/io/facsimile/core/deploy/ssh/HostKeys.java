package io.facsimile.core.deploy.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * The host key check of a {@link HostKeyPolicy}, on MINA's {@link KnownHostsServerKeyVerifier} (which
 * reads hashed entries and {@code [host]:port}, and appends accepted new keys). Why a key was refused
 * is written to a {@link Refusal} the connection carries in its context, so that the connection
 * failure can say it with the fingerprints. (Not a session attribute: MINA clears those when the
 * session closes, which races with reading them after the failed key exchange.)
 */
final class HostKeys {

    private static final AttributeKey<Refusal> REFUSAL = new AttributeKey<>();

    /** Marks a connection made through a SOCKS proxy: its peer is the local relay, not the node. */
    private static final AttributeKey<Boolean> PROXIED = new AttributeKey<>();

    /** Why the host key of one connection was refused, if it was; outlives the session. */
    static final class Refusal {
        private final AtomicReference<String> reason = new AtomicReference<>();

        /** The context to connect with, so that the verifier can find this refusal. */
        AttributeRepository context() {
            return AttributeRepository.ofKeyValuePair(REFUSAL, this);
        }

        /** The same for a connection through a SOCKS proxy: its host key is checked for the host it was asked for. */
        AttributeRepository proxiedContext() {
            return AttributeRepository.ofAttributesMap(Map.of(REFUSAL, this, PROXIED, Boolean.TRUE));
        }

        /** Why the host key was refused, or null. */
        String reason() {
            return reason.get();
        }

        private static void record(ClientSession session, String why) {
            AttributeRepository context = session.getConnectionContext();
            Refusal refusal = context == null ? null : context.getAttribute(REFUSAL);
            if (refusal != null) {
                refusal.reason.set(why);
            }
        }
    }

    private HostKeys() {}

    /** One verifier for all nodes of a deploy, so that parallel nodes append to known_hosts one at a time. */
    static ServerKeyVerifier verifier(HostKeyPolicy policy) {
        Path file = policy.knownHosts();
        ServerKeyVerifier unknown = (session, address, key) -> {
            if (policy.acceptNew()) {
                createParent(file);
                return true;
            }
            Refusal.record(
                    session,
                    "the host key of " + where(session, address) + " is unknown: " + describe(key) + " is not in "
                            + file + ". Check the fingerprint with the node's administrator, then add the key to "
                            + file
                            + " (ssh-keyscan) or deploy once with facsimile.acceptNewHostKeys=true to record it");
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknown, file) {
            @Override
            protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(
                    ClientSession session, SocketAddress remoteAddress) {
                // Through a proxy the peer is the loopback relay: only the host and port asked for name the node.
                return proxied(session)
                        ? List.of(SshdSocketAddress.toSshdSocketAddress(session.getConnectAddress()))
                        : super.resolveHostNetworkIdentities(session, remoteAddress);
            }
        };
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            Refusal.record(
                    session,
                    "the host key of " + where(session, address) + " has CHANGED: " + file + " has "
                            + describe(expected) + ", the node offers " + describe(actual)
                            + ". Nothing was sent. This may be an attack; if the node was reinstalled, remove the old "
                            + "entry (ssh-keygen -R) and record the new key");
            return false;
        });
        return verifier;
    }

    private static boolean proxied(ClientSession session) {
        AttributeRepository context = session.getConnectionContext();
        return context != null && Boolean.TRUE.equals(context.getAttribute(PROXIED));
    }

    /** {@code host:port} as asked for through a proxy, the peer's address otherwise. */
    private static String where(ClientSession session, SocketAddress address) {
        SocketAddress a = proxied(session) ? session.getConnectAddress() : address;
        if (a instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(a);
    }

    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }

    private static void createParent(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            // The verifier reports the failed append itself and still accepts the key for this run.
        }
    }
}

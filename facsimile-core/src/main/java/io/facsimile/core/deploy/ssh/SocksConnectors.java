package io.facsimile.core.deploy.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.Factory;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.SshFutureListener;
import org.apache.sshd.common.io.DefaultIoConnectFuture;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoServiceEventListenerManager;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.util.threads.CloseableExecutorService;

/**
 * MINA's NIO2 connectors, each connection going through a SOCKS proxy by way of a {@link SocksRelay}: the
 * first host a session dials (the node, or the jump host) is reached through the proxy, and everything
 * MINA does on top (the jump host's forwarding, the session) is unchanged. MINA still knows the session by
 * the host and port it was asked for, so {@code known_hosts} is checked for those.
 */
final class SocksConnectors implements IoServiceFactoryFactory {

    private final Nio2ServiceFactoryFactory nio2 = new Nio2ServiceFactoryFactory();
    private final SocksProxy proxy;
    private final Duration timeout;

    SocksConnectors(SocksProxy proxy, Duration timeout) {
        this.proxy = proxy;
        this.timeout = timeout;
    }

    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new ServiceFactory(nio2.create(manager));
    }

    @Override
    public void setExecutorServiceFactory(Factory<CloseableExecutorService> factory) {
        nio2.setExecutorServiceFactory(factory);
    }

    /** Hands MINA's life-cycle calls to the service it wraps. */
    private abstract static class Forwarding<T extends Closeable & IoServiceEventListenerManager>
            implements Closeable, IoServiceEventListenerManager {
        final T delegate;

        Forwarding(T delegate) {
            this.delegate = delegate;
        }

        @Override
        public IoServiceEventListener getIoServiceEventListener() {
            return delegate.getIoServiceEventListener();
        }

        @Override
        public void setIoServiceEventListener(IoServiceEventListener listener) {
            delegate.setIoServiceEventListener(listener);
        }

        @Override
        public CloseFuture close(boolean immediately) {
            return delegate.close(immediately);
        }

        @Override
        public void addCloseFutureListener(SshFutureListener<CloseFuture> listener) {
            delegate.addCloseFutureListener(listener);
        }

        @Override
        public void removeCloseFutureListener(SshFutureListener<CloseFuture> listener) {
            delegate.removeCloseFutureListener(listener);
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public boolean isClosing() {
            return delegate.isClosing();
        }
    }

    /** NIO2's service factory, its connectors wrapped. */
    private final class ServiceFactory extends Forwarding<IoServiceFactory> implements IoServiceFactory {
        ServiceFactory(IoServiceFactory delegate) {
            super(delegate);
        }

        @Override
        public IoConnector createConnector(IoHandler handler) {
            return new Connector(delegate.createConnector(handler));
        }

        @Override
        public IoAcceptor createAcceptor(IoHandler handler) {
            return delegate.createAcceptor(handler);
        }
    }

    /** A connector that dials the relay instead of the target, from a loopback port only it knows. */
    private final class Connector extends Forwarding<IoConnector> implements IoConnector {
        Connector(IoConnector delegate) {
            super(delegate);
        }

        @Override
        public IoConnectFuture connect(SocketAddress target, AttributeRepository context, SocketAddress local) {
            InetSocketAddress to = (InetSocketAddress) target;
            try {
                InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
                InetSocketAddress relay = SocksRelay.open(proxy, to.getHostString(), to.getPort(), from, timeout);
                return delegate.connect(relay, context, from);
            } catch (IOException e) {
                DefaultIoConnectFuture failed = new DefaultIoConnectFuture(target, null);
                failed.setException(e);
                return failed;
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            }
        }

        @Override
        public Map<Long, IoSession> getManagedSessions() {
            return delegate.getManagedSessions();
        }
    }
}

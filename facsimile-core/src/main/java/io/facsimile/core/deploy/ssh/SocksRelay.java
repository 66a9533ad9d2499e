package io.facsimile.core.deploy.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One TCP connection through a SOCKS proxy, offered on a loopback port for MINA SSHD to connect to: MINA's
 * sockets are NIO2 channels, which cannot go through a proxy, while the JDK's {@link Socket} speaks SOCKS 5
 * (and 4) itself. The target's name is resolved by the proxy, as {@code ssh -o ProxyCommand='nc -X 5 …'}
 * or a {@code socks5h://} URL would. The loopback port takes exactly one connection, and only from the
 * local port the caller names, so that no other process on this machine can take the tunnel.
 */
final class SocksRelay {

    private SocksRelay() {}

    /**
     * Connects to {@code host:port} through the proxy and returns the loopback address that carries the
     * connection, once, to a socket bound to {@code from}.
     *
     * @param from the local address the one accepted connection must come from
     * @param timeout how long connecting through the proxy, and then the local connection, may take
     * @throws IOException naming the proxy when it cannot be reached or cannot reach the target
     */
    static InetSocketAddress open(SocksProxy proxy, String host, int port, InetSocketAddress from, Duration timeout)
            throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Socket upstream = new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(proxy.host(), proxy.port())));
        ServerSocket listener = null;
        try {
            upstream.connect(InetSocketAddress.createUnresolved(host, port), millis);
            upstream.setTcpNoDelay(true);
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            listener.setSoTimeout(millis);
        } catch (IOException e) {
            closeQuietly(upstream);
            closeQuietly(listener);
            throw new IOException(
                    "cannot reach " + host + ":" + port + " through settings.xml's " + proxy.describe() + ": "
                            + e.getMessage(),
                    e);
        }
        ServerSocket accepting = listener;
        Thread relay = new Thread(() -> relay(accepting, upstream, from), "facsimile-socks-" + host + ":" + port);
        relay.setDaemon(true);
        relay.start();
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    private static void relay(ServerSocket listener, Socket upstream, InetSocketAddress from) {
        Socket local = null;
        try (listener) {
            while (local == null) {
                Socket s = listener.accept();
                if (s.getPort() == from.getPort() && s.getInetAddress().isLoopbackAddress()) {
                    local = s;
                } else {
                    s.close(); // not the connection this relay was opened for
                }
            }
            local.setTcpNoDelay(true);
        } catch (SocketTimeoutException e) {
            closeQuietly(upstream);
            return;
        } catch (IOException e) {
            closeQuietly(local);
            closeQuietly(upstream);
            return;
        }
        Socket down = local;
        Thread back =
                new Thread(() -> pump(upstream, down), Thread.currentThread().getName() + "-in");
        back.setDaemon(true);
        back.start();
        pump(down, upstream);
    }

    /** Copies until either side ends, then ends both: an SSH connection has no use for half a socket. */
    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[32 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the other direction or the session's close ends it; nothing to report here
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

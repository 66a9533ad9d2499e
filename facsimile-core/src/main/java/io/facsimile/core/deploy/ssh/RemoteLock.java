package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Locale;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

/**
 * The deploy lock of a remote home: {@code flock} on {@code home/.facsimile-deploy.lock}, held by a
 * remote {@code cat} that waits for this side to close its input. The lock file then holds who took
 * it. When the deploy or its connection dies, sshd closes the input, {@code cat} exits and the kernel
 * drops the lock: like the local lock, a crash never leaves the home locked.
 */
final class RemoteLock implements DeployLock {

    private static final int BUSY = 75;

    private final ChannelExec channel;
    private final OutputStream input;

    private RemoteLock(ChannelExec channel, OutputStream input) {
        this.channel = channel;
        this.input = input;
    }

    static DeployLock acquire(SshTransport transport, String home, String lockFile, String holder, Duration wait) {
        String file = home + "/" + lockFile;
        String description = holder + " (pid " + ProcessHandle.current().pid() + " on " + localHost() + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
        String q = Shell.quote(file);
        String command = "mkdir -p -- " + Shell.quote(home) + " && exec 9>>" + q
                + " && if flock -w " + String.format(Locale.ROOT, "%.1f", wait.toMillis() / 1000.0) + " 9; then printf '%s\\n' "
                + Shell.quote(description) + " > " + q + " && echo LOCKED && exec cat >/dev/null; "
                + "else echo BUSY; cat -- " + q + "; exit " + BUSY + "; fi";
        ChannelExec channel = null;
        try {
            channel = transport.openChannel(command);
            BufferedReader out = new BufferedReader(new InputStreamReader(channel.getInvertedOut(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if ("LOCKED".equals(first)) {
                return new RemoteLock(channel, channel.getInvertedIn());
            }
            StringBuilder rest = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                rest.append(line).append('\n');
            }
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SshTransportFactory.TIMEOUT.toMillis());
            Integer status = channel.getExitStatus();
            if ("BUSY".equals(first) && status != null && status == BUSY) {
                String who = rest.toString().isBlank() ? "another deploy" : rest.toString().strip();
                throw new DeployException("the deploy home " + transport.describeHome() + " is locked by " + who
                        + "; waited " + wait.toSeconds() + " s. Let that deploy finish and run again");
            }
            throw new DeployException("cannot lock " + file + " on " + transport.node().name() + ": exit " + status + ": "
                    + (first == null ? "" : first + "\n") + rest.toString().strip()
                    + " (the node needs flock from util-linux)", null, false);
        } catch (IOException e) {
            throw DeployException.io("cannot lock " + file + " on " + transport.node().name(), e);
        } catch (RuntimeException e) {
            if (channel != null) {
                channel.close(true);
            }
            throw e;
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        try {
            input.close();
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SshTransportFactory.TIMEOUT.toMillis());
        } catch (IOException e) {
            throw DeployException.io("cannot release the deploy lock", e);
        } finally {
            channel.close(false);
        }
    }
}

package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.HomeLock;
import io.facsimile.core.deploy.Shell;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.common.channel.ChannelPipedInputStream;

/**
 * The deploy lock of a remote home: {@link HomeLock} run on the node, held by a remote {@code cat}
 * that waits for this side to close its input. When the deploy or its connection dies, sshd closes
 * the input, {@code cat} exits and the kernel drops the lock: like the local lock, a crash never
 * leaves the home locked.
 */
final class RemoteLock implements DeployLock {

    private final ChannelExec channel;
    private final OutputStream input;

    private RemoteLock(ChannelExec channel, OutputStream input) {
        this.channel = channel;
        this.input = input;
    }

    /**
     * Takes the lock of {@code home}; with {@code look}, the same program then looks at the home (see
     * {@link NodeLook}) and {@code transport} keeps what it saw.
     */
    static DeployLock acquire(
            SshTransport transport, String home, String holder, Duration wait, Consumer<String> waiting, boolean look) {
        String command = HomeLock.command(
                Shell.quote(home), Shell.quote(HomeLock.holder(holder)), wait, look ? NodeLook.command() : "");
        ChannelExec channel = null;
        // With the look, the node's standard error (a shell start-up's warnings) is kept apart: sshd may
        // forward it in the middle of the look, which must reach this side whole.
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            channel = transport.openChannel(command, look ? errors : null);
            ChannelExec open = channel;
            InputStream out = channel.getInvertedOut();
            if (out instanceof ChannelPipedInputStream piped) {
                // bounded: the node answers within the lock wait and its allowed silence, or fails named
                piped.setTimeout(wait.plus(transport.silence()).toMillis());
            }
            // buffered for the look after LOCKED, which the lock's answer leaves in it
            InputStream answer = new BufferedInputStream(out);
            HomeLock.await(
                    answer,
                    () -> errors.toString(StandardCharsets.UTF_8),
                    () -> {
                        open.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SshTransportFactory.TIMEOUT.toMillis());
                        Integer status = open.getExitStatus();
                        return status == null ? -1 : status;
                    },
                    transport.describeHome(),
                    transport.node().name(),
                    wait,
                    waiting);
            if (look) {
                look(answer, home, transport).ifPresent(transport::looked);
            }
            return new RemoteLock(channel, channel.getInvertedIn());
        } catch (IOException e) {
            if (channel != null) {
                channel.close(true);
            }
            throw DeployException.io(
                    "cannot lock " + home + " on " + transport.node().name() + ": no answer within "
                            + wait.plus(transport.silence()).toSeconds()
                            + " s (deploy.timeouts.silence after the lock wait)",
                    e);
        } catch (RuntimeException e) {
            if (channel != null) {
                channel.close(true);
            }
            throw e;
        }
    }

    private static Optional<NodeLook> look(InputStream answer, String home, SshTransport transport) {
        try {
            return NodeLook.read(answer, home);
        } catch (IOException e) {
            throw DeployException.io(
                    "cannot read what the deploy lock's program saw of " + home + " on "
                            + transport.node().name(),
                    e);
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

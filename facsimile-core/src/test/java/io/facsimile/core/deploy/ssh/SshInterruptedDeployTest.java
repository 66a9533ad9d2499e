package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.InterruptedDeployTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 and Ctrl-C cases of {@link InterruptedDeployTest} over SSH, against a real OpenSSH sshd on
 * this machine: the killed build's connection drops and the node's watchdog must switch back by itself;
 * an interrupted build reverts through its still open connection and kills the postcmd on the node.
 */
class SshInterruptedDeployTest extends InterruptedDeployTest {

    @TempDir
    static Path keys;

    static Sshd sshd;
    static Path userKey;
    static Path knownHosts;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Sshd.available(), "no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server)");
        Path hostKey = Sshd.keygen(keys.resolve("host/key"));
        userKey = Sshd.keygen(keys.resolve("user/id_ecdsa"));
        sshd = Sshd.start(keys, "interrupted", hostKey, userKey);
        knownHosts = keys.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine());
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @AfterEach
    void wentThroughSshd() throws Exception {
        assertThat(sshd.logs()).as("the child deployed through sshd").contains("Accepted publickey for root");
    }

    @Override
    protected List<String> node() {
        return List.of(sshd.hostSpec(), userKey.toString(), knownHosts.toString());
    }
}

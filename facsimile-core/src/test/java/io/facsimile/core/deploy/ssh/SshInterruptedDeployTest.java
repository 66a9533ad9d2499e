package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.InterruptedDeployTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kill -9 and Ctrl-C cases of {@link InterruptedDeployTest} over SSH, against a real OpenSSH sshd on
 * this machine: the killed build's connection drops and the node's watchdog must switch back by itself;
 * an interrupted build reverts through its still open connection and kills the postcmd on the node.
 */
class SshInterruptedDeployTest extends InterruptedDeployTest {

    @RegisterExtension
    static final SshServer ssh = new SshServer("interrupted");

    @AfterEach
    void wentThroughSshd() throws Exception {
        assertThat(ssh.sshd().logs()).as("the child deployed through sshd").contains("Accepted publickey for root");
    }

    /** Not over SSH: the fleet's two nodes are local homes (an override without {@code @Test} is no test). */
    @Override
    public void aRevertingFleetTakesANodesUnconfirmedSwitchBackBeforeRecordingWhereToRevertTo() {}

    /** Not over SSH: the rollback runs on this machine's transport. */
    @Override
    public void aRollbackFromASwitchNoDeployConfirmedStopsOnTheReleaseBeforeItAsItsDryRunSays() {}

    /** Not over SSH: the slow switch is made by the child's local transport. */
    @Override
    public void ctrlCWhileTheSwitchIsUnderWaySwitchesBackOnceItHasLanded() {}

    @Override
    protected List<String> node() {
        return List.of(
                ssh.sshd().hostSpec(),
                ssh.userKey().toString(),
                ssh.knownHosts().toString());
    }
}

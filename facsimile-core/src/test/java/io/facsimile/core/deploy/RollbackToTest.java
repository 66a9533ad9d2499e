package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rollback -Dfacsimile.to=<release>}: a named release, checked like any rollback target. */
class RollbackToTest extends LocalDeployFixture {

    String deploy(String version) {
        write("app.conf", "v=" + version + "\n");
        DeployReport report = engine.deploy(DeployRequest.of(source(version), DeploySpec.local("x")), local());
        report.requireOk();
        return report.nodes().get(0).release();
    }

    NodeResult rollbackTo(String to, boolean dryRun, boolean force) {
        DeployReport report = engine.rollback(
                DeployRequest.onNodes(DeploySpec.local("x"))
                        .withRollbackTo(to)
                        .withDryRun(dryRun)
                        .withForce(force),
                local());
        return report.nodes().get(0);
    }

    String current() throws IOException {
        return Files.readSymbolicLink(home.resolve("current")).getFileName().toString();
    }

    @Test
    @Case("deploy.rollback-to")
    void goesToTheNamedReleaseByIdOrByVersion() throws IOException {
        String one = deploy("1.0");
        String two = deploy("2.0");
        String three = deploy("3.0");

        NodeResult dry = rollbackTo(one, true, false);
        assertThat(dry.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(dry.reason()).isEqualTo("dry run: would roll back " + three + " -> " + one);
        assertThat(current()).isEqualTo(three);

        NodeResult back = rollbackTo(one, false, false);
        assertThat(back.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo(one);
        // a version the node holds one release of names it
        assertThat(rollbackTo("2.0", false, false).release()).isEqualTo(two);
        assertThat(current()).isEqualTo(two);
        assertThat(rollbackTo(two, false, false).outcome()).isEqualTo(Outcome.UNCHANGED);
        List<String> log = Files.readAllLines(home.resolve(".facsimile/deploy-log.jsonl"));
        assertThat(log).hasSize(5);
        assertThat(log.get(4)).contains("\"release\":\"" + two + "\"", "\"outcome\":\"rollback\"");
    }

    @Test
    @Case("deploy.rollback-to")
    void anUnknownReleaseIsRefusedListingTheOnesOnTheNode() throws IOException {
        String one = deploy("1.0");
        String two = deploy("2.0");
        NodeResult refused = rollbackTo("1.5", false, false);
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.failure().isUserError()).isTrue();
        assertThat(refused.reason())
                .isEqualTo("no release 1.5 on local to roll back to: " + home + "/releases holds [" + one + ", " + two
                        + "]; facsimile:history lists what was deployed when");
        assertThat(current()).isEqualTo(two);
    }

    @Test
    @Case("deploy.rollback-to")
    void aNamedTargetIsCheckedAndRefusedWhenItCannotBeRepairedUnlessForced() throws IOException {
        String one = deploy("1.0");
        deploy("2.0");
        String three = deploy("3.0");
        Files.delete(home.resolve("releases/" + one + "/app.conf"));
        NodeResult refused = rollbackTo(one, false, false);
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.reason())
                .contains("not rolling back " + three + " -> " + one, "[app.conf]", "-Dfacsimile.force");
        assertThat(current()).isEqualTo(three);
        assertThat(rollbackTo(one, false, true).outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo(one);
    }
}

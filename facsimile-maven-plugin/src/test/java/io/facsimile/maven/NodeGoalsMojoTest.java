package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.api.DeployOptions;
import java.io.File;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** Wiring of the deploy-side goals and of package: parameters reach the core as the user wrote them. */
@MojoTest
@Basedir("src/test/resources/unit/deploy")
class NodeGoalsMojoTest {

    @Test
    @InjectMojo(goal = "deploy", pom = "pom.xml")
    void targetsAreSplitTrimmedAndDestdirKept(DeployMojo mojo) {
        DeployOptions options = mojo.deployOptions();
        assertThat(options.targets()).containsExactlyInAnyOrder("frontend", "db");
        assertThat(options.dryRun()).isFalse();
        assertThat(options.destdir().toString()).endsWith("target" + File.separator + "dest");
        assertThat(options.sshCiphers()).isNull();
    }

    @Test
    @InjectMojo(goal = "deploy", pom = "pom.xml")
    @MojoParameter(name = "sshCiphers", value = " aes128-gcm@openssh.com,aes128-ctr ")
    void theSshCiphersReachTheCore(DeployMojo mojo) {
        assertThat(mojo.deployOptions().sshCiphers()).isEqualTo("aes128-gcm@openssh.com,aes128-ctr");
    }

    @Test
    @InjectMojo(goal = "rollback", pom = "pom.xml")
    @MojoParameter(name = "checksum", value = "true")
    @MojoParameter(name = "force", value = "true")
    void checksumAndForceReachTheCore(RollbackMojo mojo) {
        assertThat(mojo.rollbackOptions())
                .returns(true, DeployOptions::checksum)
                .returns(true, DeployOptions::force)
                .returns(null, DeployOptions::rollbackTo);
    }

    @Test
    @InjectMojo(goal = "rollback", pom = "pom.xml")
    @MojoParameter(name = "to", value = " 1.4.0-3f9a0c2e1b7d ")
    void theReleaseToRollBackToReachesTheCore(RollbackMojo mojo) {
        assertThat(mojo.rollbackOptions().rollbackTo()).isEqualTo("1.4.0-3f9a0c2e1b7d");
    }

    @Test
    @InjectMojo(goal = "diff", pom = "pom.xml")
    @MojoParameter(name = "dryRun", value = "true")
    @MojoParameter(name = "targets", value = " , ")
    void noTargetsMeansAllAndDryRunReachesTheCore(DiffMojo mojo) {
        DeployOptions options = mojo.deployOptions();
        assertThat(options.targets()).isEmpty();
        assertThat(options.dryRun()).isTrue();
    }

    @Test
    @InjectMojo(goal = "package", pom = "pom.xml")
    void anUnknownBundleSecretsValueFailsBeforeAnythingIsWritten(PackageMojo mojo) {
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("bundleSecrets")
                .hasMessageContaining("sometimes");
        assertThat(new File(MojoExtension.getBasedir(), "target/facsimile")).doesNotExist();
    }
}

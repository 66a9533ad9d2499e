package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code skip<Goal>} names work in a pom: the test project names a definitions directory
 * that does not exist and no instance, so a goal that is not skipped fails. A module without any
 * definitions directory (a reactor's parent) is skipped.
 */
@MojoTest
class SkipSwitchesMojoTest {

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "deploy", pom = "pom.xml")
    void skipDeploy(DeployMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "deploy", pom = "pom.xml")
    @MojoParameter(name = "skipDeploy", value = "false")
    void theSameDeployRunsWhenNotSkipped(DeployMojo mojo) {
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class);
    }

    @Test
    @Basedir("src/test/resources/unit/reactor-parent")
    @InjectMojo(goal = "deploy", pom = "pom.xml")
    void aModuleWithoutDefinitionsIsSkippedAsAReactorParentIs(DeployMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "rollback", pom = "pom.xml")
    void skipRollback(RollbackMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "history", pom = "pom.xml")
    void skipHistory(HistoryMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "history", pom = "pom.xml")
    @MojoParameter(name = "skipHistory", value = "false")
    void theSameHistoryRunsWhenNotSkipped(HistoryMojo mojo) {
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class);
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "diff", pom = "pom.xml")
    void skipDiff(DiffMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "verify", pom = "pom.xml")
    void skipVerify(VerifyMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "render", pom = "pom.xml")
    void skipRender(RenderMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
        assertThat(new File(MojoExtension.getBasedir(), "target")).doesNotExist();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "package", pom = "pom.xml")
    void skipPackage(PackageMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "validate", pom = "pom.xml")
    void skipValidate(ValidateMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "describe", pom = "pom.xml")
    void skipDescribe(DescribeMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    @Basedir("src/test/resources/unit/skip")
    @InjectMojo(goal = "list", pom = "pom.xml")
    void skipList(ListMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }
}

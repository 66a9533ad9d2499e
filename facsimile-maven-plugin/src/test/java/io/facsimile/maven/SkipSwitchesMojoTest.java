package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
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

    static final String SKIP = "src/test/resources/unit/skip";

    @Test
    @Basedir(SKIP)
    void everyGoalIsSkippedByItsOwnSwitch(
            @InjectMojo(goal = "deploy", pom = "pom.xml") DeployMojo deploy,
            @InjectMojo(goal = "rollback", pom = "pom.xml") RollbackMojo rollback,
            @InjectMojo(goal = "history", pom = "pom.xml") HistoryMojo history,
            @InjectMojo(goal = "diff", pom = "pom.xml") DiffMojo diff,
            @InjectMojo(goal = "verify", pom = "pom.xml") VerifyMojo verify,
            @InjectMojo(goal = "render", pom = "pom.xml") RenderMojo render,
            @InjectMojo(goal = "package", pom = "pom.xml") PackageMojo pack,
            @InjectMojo(goal = "validate", pom = "pom.xml") ValidateMojo validate,
            @InjectMojo(goal = "describe", pom = "pom.xml") DescribeMojo describe,
            @InjectMojo(goal = "list", pom = "pom.xml") ListMojo list) {
        for (AbstractFacsimileMojo mojo :
                List.of(deploy, rollback, history, diff, verify, render, pack, validate, describe, list)) {
            assertThatCode(mojo::execute).as(mojo.getClass().getSimpleName()).doesNotThrowAnyException();
        }
        assertThat(new File(MojoExtension.getBasedir(), "target"))
                .as("nothing rendered")
                .doesNotExist();
    }

    @Test
    @Basedir(SKIP)
    void theSameDeployRunsWhenNotSkipped(@InjectMojo(goal = "deploy", pom = "pom.xml") DeployMojo mojo)
            throws IllegalAccessException {
        assertRunsWithItsSwitchOff(mojo, "skipDeploy");
    }

    @Test
    @Basedir(SKIP)
    void theSameHistoryRunsWhenNotSkipped(@InjectMojo(goal = "history", pom = "pom.xml") HistoryMojo mojo)
            throws IllegalAccessException {
        assertRunsWithItsSwitchOff(mojo, "skipHistory");
    }

    /** With its own switch set to {@code false}, the goal runs, and so fails on the missing definitions. */
    private static void assertRunsWithItsSwitchOff(AbstractFacsimileMojo mojo, String skipParameter)
            throws IllegalAccessException {
        MojoExtension.setVariableValueToObject(mojo, skipParameter, false);
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class);
    }

    @Test
    @Basedir("src/test/resources/unit/reactor-parent")
    @InjectMojo(goal = "deploy", pom = "pom.xml")
    void aModuleWithoutDefinitionsIsSkippedAsAReactorParentIs(DeployMojo mojo) {
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }
}

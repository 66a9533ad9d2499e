package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code -fae}: a goal over several instances works on all of them and fails at the end naming each failed one. */
@MojoTest
@ExtendWith(TestOutputs.class)
@Basedir("src/test/resources/unit/fail-at-end")
class FailAtEndMojoTest {

    @Test
    @InjectMojo(goal = "render", pom = "pom.xml")
    void withFailAtEndEveryInstanceIsRenderedAndEachFailureNamed(RenderMojo mojo) throws Exception {
        assertThat(failureOf(mojo, MavenExecutionRequest.REACTOR_FAIL_AT_END))
                .startsWith("2 of 3 instances failed: a, c")
                .contains("deploy.keep must be a whole number", "deploy.strategy must be one of releases, sync");
        assertThat(Path.of(MojoExtension.getBasedir(), "target/facsimile/b")).isDirectory();
    }

    @Test
    @InjectMojo(goal = "render", pom = "pom.xml")
    void byDefaultTheFirstFailureStopsTheGoal(RenderMojo mojo) throws Exception {
        assertThat(failureOf(mojo, MavenExecutionRequest.REACTOR_FAIL_FAST))
                .doesNotContain("instances failed")
                .contains("a: ");
    }

    /** The message the goal fails with under Maven's reactor failure behaviour given. */
    private static String failureOf(RenderMojo mojo, String behaviour) throws ReflectiveOperationException {
        session(mojo, behaviour);
        return assertThatExceptionOfType(MojoFailureException.class)
                .isThrownBy(mojo::execute)
                .actual()
                .getMessage();
    }

    private static void session(RenderMojo mojo, String behaviour) throws ReflectiveOperationException {
        MavenExecutionRequest request = new DefaultMavenExecutionRequest().setReactorFailureBehavior(behaviour);
        // MavenSession(container, repositorySession, request, result), found by reflection: its first two
        // types belong to libraries this module does not otherwise name
        java.lang.reflect.Constructor<?> constructor = java.util.Arrays.stream(MavenSession.class.getConstructors())
                .filter(c -> c.getParameterCount() == 4 && c.getParameterTypes()[2] == MavenExecutionRequest.class)
                .findFirst()
                .orElseThrow();
        MavenSession session =
                (MavenSession) constructor.newInstance(null, null, request, new DefaultMavenExecutionResult());
        java.lang.reflect.Field field = AbstractFacsimileMojo.class.getDeclaredField("session");
        field.setAccessible(true);
        field.set(mojo, session);
    }
}

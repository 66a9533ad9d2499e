package io.facsimile.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.ProjectContext;
import java.io.File;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What of a Maven project the core sees: properties, with -D winning, and none of the goals' switches. */
class ProjectContextsTest {

    @TempDir
    Path basedir;

    @Test
    void userPropertiesWinAndTheGoalsSwitchesAreNoValues() {
        Model model = new Model();
        model.setGroupId("io.example");
        model.setArtifactId("shop");
        model.setVersion("1.0");
        Build build = new Build();
        build.setDirectory(basedir.resolve("target").toString());
        model.setBuild(build);
        model.addProperty("color", "red");
        model.addProperty("facsimile.instances", "dev");
        MavenProject project = new MavenProject(model);
        project.setFile(new File(basedir.toFile(), "pom.xml"));
        Properties user = new Properties();
        user.setProperty("color", "blue");
        user.setProperty("serial", "2");
        user.setProperty("instance", "prod");
        user.setProperty("facsimile.dryRun", "true");

        ProjectContext context = ProjectContexts.of(project, user, "shop");

        assertThat(context.properties()).containsEntry("color", "blue").containsEntry("serial", "2");
        assertThat(context.properties()).doesNotContainKeys("instance", "facsimile.dryRun", "facsimile.instances");
    }
}

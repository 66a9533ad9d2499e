package io.facsimile.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.install.InstallException;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

/** {@code artifact: project} resolves the project's own main artifact, which a pom packaging never has. */
class MavenArtifactResolverTest {

    @Test
    void artifactProjectInAPomPackagedModuleSaysItCanNeverWorkThere() {
        Model model = new Model();
        model.setGroupId("io.example");
        model.setArtifactId("shop-parent");
        model.setVersion("1.0");
        model.setPackaging("pom");
        MavenArtifactResolver resolver = new MavenArtifactResolver(null, null, new MavenProject(model));

        assertThatThrownBy(() -> resolver.resolve("project"))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("artifact: project")
                .hasMessageContaining("packaging pom")
                .hasMessageContaining("never")
                .satisfies(e -> assertThat(((InstallException) e).isUserError()).isTrue());
    }
}

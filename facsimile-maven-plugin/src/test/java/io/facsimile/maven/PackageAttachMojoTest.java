package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code facsimile.attach}: bundles are attached to the project by default and only written when false. */
@MojoTest
@ExtendWith(TestOutputs.class)
@Basedir("src/test/resources/unit/validate")
class PackageAttachMojoTest {

    @Test
    @InjectMojo(goal = "package", pom = "pom.xml")
    @MojoParameter(name = "stateDirectory", value = "state")
    void bundlesAreAttachedByDefault(PackageMojo mojo) throws Exception {
        project(mojo)
                .setArtifact(new DefaultArtifact(
                        "io.facsimile.test", "harness", "2.0", null, "pom", null, new DefaultArtifactHandler("pom")));
        mojo.execute();
        assertThat(project(mojo).getAttachedArtifacts())
                .extracting(a -> a.getClassifier())
                .containsExactly("prod.eu1");
    }

    @Test
    @InjectMojo(goal = "package", pom = "pom.xml")
    @MojoParameter(name = "stateDirectory", value = "state")
    @MojoParameter(name = "attach", value = "false")
    void attachFalseOnlyWritesTheBundle(PackageMojo mojo) throws Exception {
        mojo.execute();
        assertThat(project(mojo).getAttachedArtifacts()).isEmpty();
        try (Stream<Path> written = java.nio.file.Files.walk(Path.of(MojoExtension.getBasedir(), "target"))) {
            assertThat(written.map(path -> path.getFileName().toString()))
                    .anyMatch(name -> name.endsWith("-prod.eu1.tar.gz"));
        }
    }

    @Test
    @InjectMojo(goal = "package", pom = "pom.xml")
    @MojoParameter(name = "stateDirectory", value = "state")
    void aSecondExecutionPackagingTheSameInstanceWithTheOtherBundleSecretsIsRefusedBeforeItWrites(PackageMojo mojo)
            throws Exception {
        project(mojo)
                .setArtifact(new DefaultArtifact(
                        "io.facsimile.test", "harness", "2.0", null, "pom", null, new DefaultArtifactHandler("pom")));
        mojo.execute();
        Path archive;
        try (Stream<Path> written = java.nio.file.Files.walk(Path.of(MojoExtension.getBasedir(), "target"))) {
            archive = written.filter(path -> path.getFileName().toString().endsWith("-prod.eu1.tar.gz"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] sealed = java.nio.file.Files.readAllBytes(archive);
        mojo.execute(); // the same settings again: the same bytes, let through

        java.lang.reflect.Field secrets = PackageMojo.class.getDeclaredField("bundleSecrets");
        secrets.setAccessible(true);
        secrets.set(mojo, "include");

        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("Instance prod.eu1 was already packaged by this build with bundleSecrets=seal")
                .hasMessageContaining("Remove one of the two package executions");
        assertThat(java.nio.file.Files.readAllBytes(archive))
                .as("the sealed bundle stays")
                .isEqualTo(sealed);
    }

    private static MavenProject project(PackageMojo mojo) throws ReflectiveOperationException {
        java.lang.reflect.Field field = AbstractFacsimileMojo.class.getDeclaredField("project");
        field.setAccessible(true);
        return (MavenProject) field.get(mojo);
    }
}

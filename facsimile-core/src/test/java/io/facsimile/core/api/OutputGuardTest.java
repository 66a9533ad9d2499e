package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static io.facsimile.core.testing.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate's output checks guard render, package and deploy, with the message validate gives. */
class OutputGuardTest {

    @TempDir
    Path basedir;

    private final RecordingReporter reporter = new RecordingReporter();

    @BeforeEach
    void project() {
        write(basedir, "src/main/facsimile/facsimile.yaml", "app: {port: 8080}");
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: " + basedir.resolve("live") + "}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.json", "{\"port\": $instance.app.port,}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.properties", "url=\\${instance.app.port}");
    }

    private Facsimile facsimile() {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        return new Facsimile(FacsimileConfig.defaults(project), reporter);
    }

    private List<String> validateErrors() {
        return facsimile().validate(List.of("prod"), NO_ARTIFACTS).errors();
    }

    @Test
    void renderFailsWithValidatesMessagesAndWritesNothing() {
        List<String> expected = validateErrors();
        assertThat(expected).hasSize(2);
        assertThatThrownBy(() -> facsimile().render("prod", NO_ARTIFACTS))
                .isInstanceOf(FacsimileException.class)
                .matches(e -> ((FacsimileException) e).isUserError())
                .hasMessageContaining(expected.get(0))
                .hasMessageContaining(expected.get(1));
        assertThat(basedir.resolve("target/facsimile/prod/_DEPLOY_/etc/app.json"))
                .doesNotExist();
    }

    @Test
    void packageFailsBeforeAnyArchive() {
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.EPOCH);
        assertThatThrownBy(() -> facsimile().bundle("prod", request, NO_ARTIFACTS))
                .isInstanceOf(FacsimileException.class)
                .hasMessageContaining("etc/app.json:1 (from tmpl/_ALL_/_DEPLOY_/etc/app.json): not valid JSON");
        assertThat(basedir.resolve("target/shop-1.0-prod.tar.gz")).doesNotExist();
    }

    @Test
    void deployFailsBeforeAnyNodeIsTouched() {
        assertThatThrownBy(() ->
                        facsimile().deploy("prod", new DeployOptions(java.util.Set.of(), false, null), NO_ARTIFACTS))
                .isInstanceOf(FacsimileException.class)
                .hasMessageContaining("unresolved placeholder ${instance.app.port}");
        assertThat(Files.exists(basedir.resolve("live"))).isFalse();
    }

    @Test
    void aReleaseThatChecksCleanRendersAsBefore() {
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.json", "{\"port\": $instance.app.port}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.properties", "url=jdbc:x");
        Path release = facsimile().render("prod", NO_ARTIFACTS);
        assertThat(release.resolve("_DEPLOY_/etc/app.json")).hasContent("{\"port\": 8080}");
    }
}

package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static io.facsimile.core.testing.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An instance name is checked before any path is made of it, wherever it comes from (the pom's list too). */
class InstanceNamePathsTest {

    @TempDir
    Path basedir;

    @BeforeEach
    void project() {
        write(basedir, "src/main/facsimile/facsimile.yaml", "app: {port: 8080}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "port=$instance.app.port");
    }

    private Facsimile facsimile() {
        return io.facsimile.core.testing.ShopProject.facade(basedir, new RecordingReporter());
    }

    @Test
    @Case("input.instance-name-paths")
    void anInstanceNameThatLeadsOutOfTheReleaseRootIsRefusedBeforeAnyFileIsMade() {
        // as the pom's <instances> may hold it: target/facsimile/../../escaped/sub is basedir/escaped/sub
        for (String name : List.of("../../escaped/sub", "dev x")) {
            assertThatThrownBy(() -> facsimile().render(List.of(name), NO_ARTIFACTS))
                    .isInstanceOf(FacsimileException.class)
                    .hasMessageContaining("invalid instance name '" + name + "'")
                    .matches(e -> ((FacsimileException) e).isUserError());
            assertThatThrownBy(() -> facsimile()
                            .bundle(
                                    List.of(name),
                                    BundleRequest.of(io.facsimile.core.bundle.BundleFormat.TAR_GZ, null, null),
                                    NO_ARTIFACTS))
                    .hasMessageContaining("invalid instance name '" + name + "'");
        }
        assertThat(basedir.resolve("escaped")).doesNotExist();
        assertThat(basedir.resolve("target/facsimile/.dev x.lock")).doesNotExist();
    }
}

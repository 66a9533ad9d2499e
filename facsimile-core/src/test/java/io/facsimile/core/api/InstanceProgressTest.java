package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.testing.RecordingReporter;
import io.facsimile.core.testing.ShopProject;
import io.facsimile.core.testing.TestFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendering or packaging several instances counts them as they finish; one instance prints no counter. */
class InstanceProgressTest {

    @TempDir
    Path basedir;

    private final RecordingReporter reporter = new RecordingReporter();
    private Facsimile facsimile;

    @BeforeEach
    void project() {
        TestFiles.write(basedir, "src/main/facsimile/facsimile.yaml", "app: {port: 8080}");
        for (String instance : List.of("dev", "test", "prod")) {
            TestFiles.write(basedir, "src/main/facsimile/" + instance + ".yaml", "app: {name: " + instance + "}");
        }
        TestFiles.write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");
        facsimile = ShopProject.facade(basedir, reporter);
    }

    private List<String> counted() {
        return reporter.info.stream().filter(line -> line.startsWith("[")).toList();
    }

    @Test
    void renderingSeveralInstancesCountsEachFinishedOne() {
        facsimile.render(List.of("dev", "test", "prod"), NO_ARTIFACTS);

        assertThat(counted()).hasSize(3);
        assertThat(counted()).map(line -> line.substring(0, 6)).containsExactly("[1/3] ", "[2/3] ", "[3/3] ");
        assertThat(String.join("\n", counted())).contains("dev: ready in", "test: ready in", "prod: ready in");
    }

    @Test
    void instancesFoundUpToDateAreCountedAsReadyNotAsRendered() {
        facsimile.render(List.of("dev", "test", "prod"), NO_ARTIFACTS);
        reporter.info.clear();

        facsimile.render(List.of("dev", "test", "prod"), NO_ARTIFACTS);

        assertThat(reporter.info).anyMatch(line -> line.contains("up to date"));
        assertThat(counted()).hasSize(3).allMatch(line -> line.contains(": ready in ") && !line.contains("rendered"));
    }

    @Test
    void packagingSeveralInstancesCountsEachFinishedOne() {
        facsimile.bundle(
                List.of("dev", "prod"), new BundleRequest(BundleFormat.TAR_GZ, false, Instant.EPOCH), NO_ARTIFACTS);

        assertThat(counted()).map(line -> line.substring(0, 6)).containsExactly("[1/2] ", "[2/2] ");
        assertThat(String.join("\n", counted())).contains("dev: packaged", "prod: packaged");
    }

    @Test
    void oneInstancePrintsNoCounter() {
        facsimile.render(List.of("dev"), NO_ARTIFACTS);
        facsimile.bundle(List.of("dev"), new BundleRequest(BundleFormat.TAR_GZ, false, Instant.EPOCH), NO_ARTIFACTS);

        assertThat(reporter.info).isNotEmpty();
        assertThat(counted()).isEmpty();
    }
}

package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the README says of {@code deploy -Dfacsimile.dryRun}: it renders, as deploy does, and changes no node. */
class DeployDryRunTest {

    @TempDir
    Path basedir;

    @Test
    void aDryRunRendersTheInstanceAndSavesItsNewStateButChangesNoNode() {
        Path home = basedir.resolve("live");
        ShopProject.write(basedir, "app: {port: 8080}", "deploy: {home: " + home + "}");
        DeployReport report = io.facsimile.core.testing.ShopProject.facade(basedir, new RecordingReporter())
                .deploy("dev", new DeployOptions(Set.of(), true, null), NO_ARTIFACTS);
        assertThat(report.ok()).isTrue();
        assertThat(report.dryRun()).isTrue();
        assertThat(basedir.resolve("target/facsimile/dev/manifest.json")).isRegularFile();
        assertThat(basedir.resolve(".facsimile/state")).isDirectory();
        assertThat(home).doesNotExist();
    }
}

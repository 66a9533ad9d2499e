package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A goal runs inside the check for plaintext states that git would commit: git is asked beside the
 * goal's work, and the warning comes when the check is closed, about the states there were when it started.
 */
class StateExposureTest {

    @TempDir
    Path basedir;

    @Test
    void theWarningComesWhenTheCheckIsClosedAndNamesTheStatesThereWereAtItsStart() throws Exception {
        ShopProject.write(basedir, "app: {port: 8080}");
        Process git = new ProcessBuilder("git", "init", "-q", basedir.toString())
                .redirectErrorStream(true)
                .start();
        git.getInputStream().readAllBytes();
        assertThat(git.waitFor()).isZero();
        FacsimileConfig config = FacsimileConfig.defaults(new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of()));
        new Facsimile(config, new RecordingReporter()).render("dev", NO_ARTIFACTS);
        Path dev = basedir.resolve(".facsimile/state/dev/state.json");
        assertThat(dev).exists();

        RecordingReporter reporter = new RecordingReporter();
        Facsimile facsimile = new Facsimile(config, reporter);
        try (StateExposure exposure = facsimile.checkExposedStates()) {
            Path later = basedir.resolve(".facsimile/state/later/state.json");
            Files.createDirectories(later.getParent());
            Files.writeString(later, "{}");
            Thread.sleep(200); // git, if it were asked about the later state, has answered by now
            assertThat(reporter.warn).as("warnings before the goal ends").isEmpty();
        }
        assertThat(reporter.warn)
                .singleElement()
                .asString()
                .contains("The plaintext state " + dev, "git add -A would commit its passwords", "to .gitignore");

        Files.writeString(basedir.resolve(".gitignore"), ".facsimile/\n");
        RecordingReporter ignored = new RecordingReporter();
        try (StateExposure exposure = new Facsimile(config, ignored).checkExposedStates()) {
            assertThat(exposure).isNotNull();
        }
        assertThat(ignored.warn).isEmpty();
    }
}

package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plaintext state that git would commit is found; an ignored one, or one outside a work tree, is not. */
class GitExposureTest {

    @TempDir
    Path project;

    private Path plaintextState() throws Exception {
        return plaintextState("prod");
    }

    private Path plaintextState(String name) throws Exception {
        Path file = project.resolve(".facsimile/state/" + name + "/state.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
        return file;
    }

    private void gitInit() throws Exception {
        Process git = new ProcessBuilder("git", "init", "-q", project.toString())
                .redirectErrorStream(true)
                .start();
        git.getInputStream().readAllBytes();
        assertThat(git.waitFor()).isZero();
    }

    @Test
    void aPlaintextStateOutsideAWorkTreeIsNotReported() throws Exception {
        plaintextState();
        assertThat(GitExposure.workTree(project)).isNull();
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).isEmpty();
    }

    @Test
    void gitDecidesWhenItIsOnThePath() throws Exception {
        Path file = plaintextState();
        gitInit();
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).containsExactly(file);
        Files.writeString(project.resolve(".gitignore"), "# local\n.facsimile/\n");
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).isEmpty();
    }

    @Test
    @io.facsimile.core.reliability.Case("state.plaintext-leftovers")
    void theBackupAndWhatStateEncryptMovedAsideAreReportedToo() throws Exception {
        Path file = plaintextState();
        Path backup = Files.writeString(file.resolveSibling("state.json.bak"), "{}");
        gitInit();
        Path aside = file.resolveSibling("state.json.before-encrypt");
        Files.move(file, aside); // as state-encrypt leaves it: the encrypted state is in the definitions
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).containsExactly(backup, aside);
        Files.writeString(project.resolve(".gitignore"), ".facsimile/\n");
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).isEmpty();
    }

    @Test
    void withoutGitTheGitignoreFilesAreRead() throws Exception {
        Path file = plaintextState();
        Files.createDirectories(project.resolve(".git"));
        assertThat(GitExposure.ignoredByGitignore(project, file)).isFalse();
        for (String rule : new String[] {
            ".facsimile/", "/.facsimile", ".facsimile/state", "state.json", "*.json", ".facsimile/state/*/state.json"
        }) {
            Files.writeString(project.resolve(".gitignore"), "target/\n" + rule + "\n");
            assertThat(GitExposure.ignoredByGitignore(project, file)).as(rule).isTrue();
        }
        for (String rule : new String[] {"target/", "/state", "!.facsimile/", "other/.facsimile/"}) {
            Files.writeString(project.resolve(".gitignore"), rule + "\n");
            assertThat(GitExposure.ignoredByGitignore(project, file)).as(rule).isFalse();
        }
        // the last pattern that matches decides: a negation includes the file again, as git would commit it
        Files.writeString(project.resolve(".gitignore"), "*.json\n!state.json\n");
        assertThat(GitExposure.ignoredByGitignore(project, file))
                .as("*.json, then !state.json")
                .isFalse();
        Files.writeString(project.resolve(".gitignore"), "!state.json\n*.json\n");
        assertThat(GitExposure.ignoredByGitignore(project, file))
                .as("!state.json, then *.json")
                .isTrue();
        Files.delete(project.resolve(".gitignore"));
        Files.writeString(project.resolve(".facsimile/.gitignore"), "*\n");
        assertThat(GitExposure.ignoredByGitignore(project, file)).isTrue();
        Files.writeString(project.resolve(".gitignore"), "!.facsimile/state/prod/state.json\n");
        assertThat(GitExposure.ignoredByGitignore(project, file))
                .as("a deeper .gitignore comes later")
                .isTrue();
    }

    @Test
    void gitIsAskedAboutEveryStateAtOnceAndAnswersForEach() throws Exception {
        Path dev = plaintextState("dev");
        Path prod = plaintextState("prod");
        Path test = plaintextState("test");
        gitInit();
        Files.writeString(project.resolve(".gitignore"), ".facsimile/state/prod/\n");
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).containsExactly(dev, test);
        Files.writeString(project.resolve(".gitignore"), ".facsimile/state/*/\n!.facsimile/state/test/\n");
        assertThat(GitExposure.exposed(project.resolve(".facsimile/state"))).containsExactly(test);
        assertThat(prod).exists();
    }
}

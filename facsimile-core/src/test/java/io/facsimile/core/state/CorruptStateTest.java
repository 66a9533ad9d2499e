package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.state.secret.SecretPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A state file that does not parse stops the build and is never touched; a failed save changes nothing. */
class CorruptStateTest {

    private static final String SECRET = "Zq9SecretValueThatMustNotLeak";

    @TempDir
    Path root;

    private Path stateFile() throws IOException {
        Path file = root.resolve("state/prod/state.json");
        Files.createDirectories(file.getParent());
        return file;
    }

    static Stream<Arguments> corruptContents() {
        String valid = "{\"passwd\": {\"proj0\": \"" + SECRET + "\"}}";
        return Stream.of(
                Arguments.of("empty", "", "is empty (0 bytes)"),
                Arguments.of("white space only", "  \n", "no JSON value"),
                Arguments.of("garbage", "not json at all " + SECRET, "is not valid JSON at line 1, column"),
                Arguments.of("truncated", valid.substring(0, valid.length() - 5), "ends before the JSON is complete"),
                Arguments.of("truncated in secret", valid.substring(0, 30), "ends before the JSON is complete"),
                Arguments.of("bare secret token", "{\"passwd\": {\"proj0\": " + SECRET + "}}", "line 1, column"),
                Arguments.of("trailing content", valid + " {}", "not valid JSON"),
                Arguments.of("top-level list", "[\"" + SECRET + "\"]", "must hold a JSON object"),
                Arguments.of(
                        "password not a string", "{\"passwd\": {\"proj0\": 42}}", "passwd.\"proj0\" must be a string"),
                Arguments.of(
                        "duplicate key", "{\"passwd\": {\"a\": \"x\", \"a\": \"" + SECRET + "\"}}", "repeats a key"),
                Arguments.of(
                        "uiid out of range",
                        "{\"instances\": {\"inmap\": {\"a.0\": {\"uiid\": 256, \"logical_name\": \"a\","
                                + " \"instance_name\": \"a.0\"}}}}",
                        "uiid must be a whole number from 1 to 255"),
                Arguments.of(
                        "uiid used twice",
                        "{\"instances\": {\"inmap\": {"
                                + "\"a.0\": {\"uiid\": 1, \"logical_name\": \"a\", \"instance_name\": \"a.0\"},"
                                + "\"a.1\": {\"uiid\": 1, \"logical_name\": \"a\", \"instance_name\": \"a.1\"}}}}",
                        "gives uiid 1 to both"),
                Arguments.of(
                        "maps disagree",
                        "{\"instances\": {"
                                + "\"inmap\": {\"a.0\": {\"uiid\": 1, \"logical_name\": \"a\", \"instance_name\": \"a.0\"}},"
                                + "\"uiidmap\": {\"2\": {\"uiid\": 2, \"logical_name\": \"a\", \"instance_name\": \"a.0\"}}}}",
                        "disagrees with instances.inmap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptContents")
    void unparsableFileStopsAndIsLeftByteIdentical(String label, String content, String expected) throws Exception {
        Path file = stateFile();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        StateStore store = new StateStore(root.resolve("state"));

        assertThatThrownBy(() -> store.open("prod"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected)
                .hasMessageContaining("no state.json.bak")
                .hasMessageNotContaining(SECRET)
                .hasNoCause()
                .matches(e -> ((StateException) e).isUserError());

        assertThat(file).hasBinaryContent(bytes);
        assertThat(file.resolveSibling("state.json.bak")).doesNotExist();
        // The failed open released its lock: a second attempt fails the same way instead of timing out.
        assertThatThrownBy(() -> new StateStore(root.resolve("state"), Duration.ZERO).open("prod"))
                .hasMessageContaining(expected);
    }

    @Test
    @io.facsimile.core.reliability.Case("state.no-silent-restart")
    void aStateWhoseFileIsGoneButWhoseBackupRemainsIsNotStartedAfresh() throws Exception {
        Path file = stateFile();
        Path backup = file.resolveSibling("state.json.bak");
        Files.writeString(backup, "{\"passwd\": {\"db\": \"" + SECRET + "\"}}", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new StateStore(root.resolve("state")).open("prod"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("State prod has no file")
                .hasMessageContaining(backup.toString())
                .hasMessageContaining("every secret would be generated anew")
                .hasMessageNotContaining(SECRET);
        assertThat(file).doesNotExist();

        Files.move(backup, file.resolveSibling("state.json.before-encrypt"));
        assertThatThrownBy(() -> new StateStore(root.resolve("state")).open("prod"))
                .hasMessageContaining("state.json.before-encrypt");

        Files.delete(file.resolveSibling("state.json.before-encrypt"));
        new StateStore(root.resolve("state")).open("prod").close(); // nothing left: a new state, as before
    }

    @Test
    @io.facsimile.core.reliability.Case("state.umask-000")
    void aStateLeftWiderByAnotherToolIsNarrowedToOwnerOnlyWhenOpened() throws Exception {
        Path file = stateFile();
        Files.writeString(file, "{\"passwd\": {\"db\": \"" + SECRET + "\"}}", StandardCharsets.UTF_8);
        Path backup = Files.writeString(file.resolveSibling("state.json.bak"), "{}", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(backup, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(
                file.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        new StateStore(root.resolve("state")).open("prod").close();

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(backup)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
    }

    private static String mode(Path path) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void errorPointsAtTheBackupWhenThereIsOne() throws Exception {
        Path file = stateFile();
        Files.writeString(file, "{\"passwd\": {", StandardCharsets.UTF_8);
        Path backup = file.resolveSibling("state.json.bak");
        Files.writeString(backup, "{}", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new StateStore(root.resolve("state")).open("prod"))
                .hasMessageContaining(file + " ends before the JSON is complete (truncated?) at line 1, column")
                .hasMessageContaining("The previous version is in " + backup);
        assertThat(file).hasContent("{\"passwd\": {");
        assertThat(backup).hasContent("{}");
    }

    @Test
    void failureAfterTheTempFileLeavesStateUnchangedAndNoTempFile() throws Exception {
        assertFailedSaveChangesNothing(StateFiles.Step.TEMP_WRITTEN);
    }

    @Test
    void failureAfterTheBackupLeavesStateUnchangedAndNoTempFile() throws Exception {
        assertFailedSaveChangesNothing(StateFiles.Step.BACKUP_WRITTEN);
    }

    private void assertFailedSaveChangesNothing(StateFiles.Step failAt) throws Exception {
        try (StateSession state = new StateStore(root.resolve("state")).open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            state.commit();
        }
        Path file = root.resolve("state/prod/state.json");
        byte[] before = Files.readAllBytes(file);
        StateStore failing = new StateStore(root.resolve("state"), Duration.ofSeconds(5), step -> {
            if (step == failAt) {
                throw new IOException("disk full (simulated at " + step + ")");
            }
        });

        try (StateSession state = failing.open("prod")) {
            state.password("proj1", SecretPolicy.defaults());
            assertThatThrownBy(state::commit)
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("Cannot write state file " + file)
                    .hasMessageContaining("disk full")
                    .matches(e -> !((StateException) e).isUserError());
            assertThat(state.isDirty()).isTrue();
        }

        assertThat(file).hasBinaryContent(before);
        try (Stream<Path> listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("tmp"));
        }
    }

    @Test
    void staleTemporaryFilesOfAKilledSaveAreRemovedOnOpen() throws Exception {
        Path file = stateFile();
        Files.writeString(file.resolveSibling("state.json.tmp-0011223344556677"), "{\"half", StandardCharsets.UTF_8);
        Files.writeString(file.resolveSibling("state.json.bak.tmp-8899aabbccddeeff"), "{", StandardCharsets.UTF_8);

        try (StateSession state = new StateStore(root.resolve("state")).open("prod")) {
            assertThat(state.passwords()).isEmpty();
        }

        try (Stream<Path> listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(".lock");
        }
    }
}

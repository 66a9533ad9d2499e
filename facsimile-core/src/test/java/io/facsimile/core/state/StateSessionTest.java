package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateSessionTest {

    @TempDir
    Path root;

    private StateStore store() {
        return new StateStore(root.resolve("state"));
    }

    /** Opens the state, generates the password of {@code key} with the default policy and commits. */
    private Secret committedPassword(String stateName, String key) {
        try (StateSession state = store().open(stateName)) {
            Secret secret = state.password(key, SecretPolicy.defaults());
            state.commit();
            return secret;
        }
    }

    private Path stateFile(String name) {
        return root.resolve("state").resolve(name).resolve("state.json");
    }

    @Test
    void newPasswordIs32AlphanumericCharacters() {
        try (StateSession state = store().open("prod")) {
            Secret secret = state.password("proj0", SecretPolicy.defaults());

            assertThat(secret.reveal()).matches("[A-Za-z0-9]{32}");
            assertThat(state.isDirty()).isTrue();
            assertThat(state.commit()).isTrue();
            assertThat(state.isDirty()).isFalse();
        }
    }

    @Test
    void storedPasswordIsReturnedOnReopenAndNeverRegenerated() {
        Secret first = committedPassword("prod", "proj0");
        try (StateSession state = store().open("prod")) {
            // A different policy does not matter once a password is stored.
            assertThat(state.password("proj0", SecretPolicy.parse("uuid"))).isEqualTo(first);
            assertThat(state.isDirty()).isFalse();
            assertThat(state.commit()).isFalse();
        }
    }

    @Test
    void theDigestFollowsTheFileAsReadWrittenOrChangedByOthers() throws Exception {
        StateStore store = store();
        String absent = store.digest("prod");
        String written;
        try (StateSession state = store.open("prod")) {
            assertThat(state.digest()).isEqualTo(absent);
            state.password("proj0", SecretPolicy.defaults());
            state.commit();
            written = state.digest();
        }
        assertThat(written).isNotEqualTo(absent).isEqualTo(store.digest("prod"));
        try (StateSession state = store.peek("prod")) {
            assertThat(state.digest()).isEqualTo(written);
        }
        Path file = stateFile("prod");
        Files.writeString(file, Files.readString(file).replace("proj0", "proj1"));
        assertThat(store.digest("prod")).isNotEqualTo(written);
    }

    @Test
    @io.facsimile.core.reliability.Case("state.changed-under-the-session")
    void aStateFileChangedByAnotherWriterSinceItWasReadIsNotOverwritten() throws Exception {
        StateStore store = store();
        try (StateSession state = store.open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            state.commit();
        }
        Path file = stateFile("prod");
        try (StateSession state = store.open("prod")) {
            // a teammate's value arrives meanwhile (a git pull; another build not sharing this lock)
            String theirs = Files.readString(file).replace("proj0", "theirs");
            Files.writeString(file, theirs);
            state.password("mine", SecretPolicy.defaults());

            assertThatThrownBy(state::commit)
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining(file + " changed since this build read it")
                    .hasMessageContaining("nothing was written");
            assertThat(file).hasContent(theirs);
        }
    }

    @Test
    void secondCallInOneSessionReturnsTheSamePassword() {
        try (StateSession state = store().open("prod")) {
            Secret first = state.password("proj0", SecretPolicy.defaults());
            assertThat(state.password("proj0", SecretPolicy.defaults())).isEqualTo(first);
            assertThat(state.password("proj1", SecretPolicy.defaults())).isNotEqualTo(first);
        }
    }

    @Test
    void sessionsOfOneStateNameSharePasswordsAndOthersDoNot() {
        Secret shared = committedPassword("dev", "proj0");
        try (StateSession dev4 = store().open("dev")) {
            assertThat(dev4.password("proj0", SecretPolicy.defaults())).isEqualTo(shared);
        }
        try (StateSession prod = store().open("prod")) {
            assertThat(prod.password("proj0", SecretPolicy.defaults())).isNotEqualTo(shared);
        }
    }

    @Test
    void uncommittedValuesAreDiscardedOnClose() {
        try (StateSession state = store().open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
        }
        assertThat(stateFile("prod")).doesNotExist();
        try (StateSession state = store().open("prod")) {
            assertThat(state.passwords()).isEmpty();
        }
    }

    @Test
    void uiidsAreDistinctLowestFreeAndStableAcrossReopen() {
        try (StateSession state = store().open("prod")) {
            assertThat(state.serviceInstance("apid.0", "api").uiid()).isEqualTo(1);
            assertThat(state.serviceInstance("apid.1", "api").uiid()).isEqualTo(2);
            assertThat(state.serviceInstance("workerd.0", "worker").uiid()).isEqualTo(3);
            assertThat(state.serviceInstance("apid.0", "api").uiid()).isEqualTo(1);
            state.commit();
        }
        try (StateSession state = store().open("prod")) {
            assertThat(state.serviceInstance("workerd.0", "worker"))
                    .isEqualTo(new ServiceInstanceRecord(3, "worker", "workerd.0"));
            assertThat(state.serviceInstance("apid.1", "api").uiid()).isEqualTo(2);
            assertThat(state.isDirty()).isFalse();
            assertThat(state.serviceInstance("apid.2", "api").uiid()).isEqualTo(4);
        }
    }

    @Test
    void lowestFreeUiidFillsAGapLeftInTheFile() throws Exception {
        Files.createDirectories(stateFile("prod").getParent());
        Files.writeString(
                stateFile("prod"),
                "{\"instances\": {\"inmap\": {"
                        + "\"a.0\": {\"uiid\": 1, \"logical_name\": \"a\", \"instance_name\": \"a.0\"},"
                        + "\"a.2\": {\"uiid\": 3, \"logical_name\": \"a\", \"instance_name\": \"a.2\"}}}}",
                StandardCharsets.UTF_8);
        try (StateSession state = store().open("prod")) {
            assertThat(state.serviceInstance("a.1", "a").uiid()).isEqualTo(2);
            assertThat(state.serviceInstance("a.3", "a").uiid()).isEqualTo(4);
        }
    }

    @Test
    void storedRecordIsKeptWhenTheLogicalNameChanges() {
        try (StateSession state = store().open("prod")) {
            state.serviceInstance("apid.0", "api");
            assertThat(state.serviceInstance("apid.0", "renamed").logicalName()).isEqualTo("api");
        }
    }

    @Test
    void exhaustedUiidsAreAClearUserError() {
        try (StateSession state = store().open("prod")) {
            for (int i = 0; i < 255; i++) {
                state.serviceInstance("d." + i, "d");
            }
            assertThat(state.serviceInstances()).hasSize(255);
            assertThatThrownBy(() -> state.serviceInstance("d.255", "d"))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("d.255")
                    .hasMessageContaining("all 255 uiids")
                    .matches(e -> ((StateException) e).isUserError());
        }
    }

    @Test
    void nothingIsWrittenWhenNothingIsNew() throws Exception {
        try (StateSession state = store().open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            state.serviceInstance("apid.0", "api");
            state.commit();
        }
        Path file = stateFile("prod");
        byte[] before = Files.readAllBytes(file);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, old);

        try (StateSession state = store().open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            state.serviceInstance("apid.0", "api");
            assertThat(state.passwords()).containsOnlyKeys("proj0");
            assertThat(state.isDirty()).isFalse();
            assertThat(state.commit()).isFalse();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
        assertThat(file.resolveSibling("state.json.bak")).doesNotExist();
    }

    @Test
    void backupHoldsThePreviousDocumentAfterAChange() throws Exception {
        committedPassword("prod", "proj0");
        Path file = stateFile("prod");
        Path backup = file.resolveSibling("state.json.bak");
        byte[] first = Files.readAllBytes(file);
        assertThat(backup).doesNotExist();

        committedPassword("prod", "proj1");
        byte[] second = Files.readAllBytes(file);
        assertThat(backup).hasBinaryContent(first);
        assertThat(second).isNotEqualTo(first);

        committedPassword("prod", "proj2");
        assertThat(backup).hasBinaryContent(second);
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("state.json", "state.json.bak", ".lock");
        }
    }

    @Test
    void commitTwiceInOneSessionWritesOnlyWhenNew() {
        try (StateSession state = store().open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            assertThat(state.commit()).isTrue();
            assertThat(state.commit()).isFalse();
            state.password("proj1", SecretPolicy.defaults());
            assertThat(state.commit()).isTrue();
        }
        try (StateSession state = store().open("prod")) {
            assertThat(state.passwords()).containsOnlyKeys("proj0", "proj1");
        }
    }

    @Test
    void filesAreOwnerOnly() throws Exception {
        assumeThat(Permissions.posix(root)).as("POSIX file system").isTrue();
        try (StateSession state = store().open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            state.commit();
            state.password("proj1", SecretPolicy.defaults());
            state.commit();
        }
        Path dir = stateFile("prod").getParent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
                .isEqualTo("rwx------");
        for (String name : new String[] {"state.json", "state.json.bak", ".lock"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                    .as(name)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void unknownTopLevelKeysArePreserved() throws Exception {
        Path file = stateFile("prod");
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                "{\"passwd\": {\"old\": \"kept-value\"}, \"future\": {\"z\": [1, 2.50, \"x\"], \"a\": null},"
                        + " \"version\": 7}",
                StandardCharsets.UTF_8);

        try (StateSession state = store().open("prod")) {
            state.password("proj0", SecretPolicy.defaults());
            state.commit();
        }

        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(written).contains("\"future\": {", "\"a\": null", "2.50", "\"version\": 7", "\"kept-value\"");
        try (StateSession state = store().open("prod")) {
            assertThat(state.passwords()).containsKeys("old", "proj0");
            assertThat(state.passwords().get("old").reveal()).isEqualTo("kept-value");
        }
    }

    @Test
    void invalidStateNamesAreRejected() {
        for (String bad : new String[] {"", "..", "../prod", "a/b", "a\\b", ".hidden", "a..b", "prod eu"}) {
            assertThatThrownBy(() -> store().open(bad))
                    .as(bad)
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("state name");
        }
        assertThat(root.resolve("state")).doesNotExist();
    }

    @Test
    void closedSessionRefusesWork() {
        StateSession state = store().open("prod");
        state.close();
        state.close();
        assertThatIllegalStateException().isThrownBy(() -> state.password("x", SecretPolicy.defaults()));
        assertThatIllegalStateException().isThrownBy(state::commit);
    }

    @Test
    void toStringOfStateTypesRevealsNoSecret() throws Exception {
        try (StateSession state = store().open("prod")) {
            Secret secret = state.password("proj0", SecretPolicy.defaults());
            assertThat(state.toString()).doesNotContain(secret.reveal()).contains("prod");
            assertThat(state.passwords().toString())
                    .doesNotContain(secret.reveal())
                    .contains("proj0=****");
            state.commit();
        }
        byte[] content = Files.readAllBytes(stateFile("prod"));
        StateDocument document = StateCodec.parse(content);
        Secret stored = document.passwords().get("proj0");
        assertThat(document.toString()).doesNotContain(stored.reveal());
    }

    @Test
    void sameThreadCannotOpenOneStateTwice() {
        try (StateSession first = store().open("prod")) {
            assertThatThrownBy(() -> store().open("prod"))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("already open in this thread");
            assertThat(first.passwords()).isEmpty();
        }
        try (StateSession again = store().open("prod")) {
            assertThat(again.name()).isEqualTo("prod");
        }
    }

    @Test
    void onDiskFormatMatchesTheSpec() throws Exception {
        try (StateSession state = store().open("prod")) {
            state.serviceInstance("apid.0", "api");
            state.commit();
        }
        assertThat(Files.readString(stateFile("prod"), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "instances": {
                    "inmap": {
                      "apid.0": {
                        "instance_name": "apid.0",
                        "logical_name": "api",
                        "uiid": 1
                      }
                    },
                    "uiidmap": {
                      "1": {
                        "instance_name": "apid.0",
                        "logical_name": "api",
                        "uiid": 1
                      }
                    }
                  },
                  "passwd": {}
                }
                """);
    }
}

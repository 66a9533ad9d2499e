package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read-only look at a state, for goals that promise to write nothing. */
class StatePeekTest {

    @TempDir
    Path root;

    @Test
    void peekingAMissingStateCreatesNothing() {
        StateStore store = new StateStore(root.resolve("state"));
        try (StateSession state = store.peek("dev")) {
            assertThat(state.password("web", SecretPolicy.defaults()).reveal()).hasSize(32);
            assertThatIllegalStateException().isThrownBy(state::commit).withMessageContaining("read-only");
        }
        assertThat(root.resolve("state")).doesNotExist();
    }

    @Test
    void peekSeesStoredValuesAndTakesNoLock() throws Exception {
        StateStore store = new StateStore(root.resolve("state"));
        Secret stored;
        try (StateSession state = store.open("dev")) {
            stored = state.password("web", SecretPolicy.defaults());
            state.commit();
        }
        byte[] before = Files.readAllBytes(store.stateFile("dev"));
        try (StateSession writer = store.open("dev");
                StateSession reader = store.peek("dev")) {
            assertThat(reader.password("web", SecretPolicy.defaults())).isEqualTo(stored);
            assertThat(writer.isDirty()).isFalse();
        }
        assertThat(Files.readAllBytes(store.stateFile("dev"))).isEqualTo(before);
    }

    @Test
    void peekRefusesACorruptStateAndLeavesIt() throws Exception {
        Path file = root.resolve("state/dev/state.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"passwd\": {", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new StateStore(root.resolve("state")).peek("dev"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("state.json");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("{\"passwd\": {");
    }
}

package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.state.StateException;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.StateStore;
import io.facsimile.core.state.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rotate} through the facade: a new password, the old one retired, an unknown module refused. */
class StateRotationTest {

    @TempDir
    Path basedir;

    private Facsimile facsimile() throws IOException {
        Path definitions = Files.createDirectories(basedir.resolve("src/main/facsimile"));
        Files.writeString(definitions.resolve("modules.yaml"), "- name: api\n- name: db\n", StandardCharsets.UTF_8);
        Files.writeString(definitions.resolve("prod.yaml"), "color: red\n", StandardCharsets.UTF_8);
        return new Facsimile(
                FacsimileConfig.defaults(ProjectContext.of(basedir, "g", "shop", "1.0")), Reporter.silent());
    }

    private StateSession state() {
        return new StateStore(basedir.resolve(".facsimile/state")).peek("prod");
    }

    @Test
    void rotateReplacesOnePasswordAndKeepsTheOldOneRetired() throws IOException {
        Facsimile facsimile = facsimile();
        facsimile.resolve("prod");
        Secret api;
        Secret db;
        try (StateSession state = state()) {
            api = state.passwords().get("api");
            db = state.passwords().get("db");
        }
        facsimile.rotate("prod", "api");
        try (StateSession state = state()) {
            assertThat(state.passwords().get("api")).isNotNull().isNotEqualTo(api);
            assertThat(state.passwords().get("db")).isEqualTo(db);
            assertThat(state.retired()).containsEntry("api", List.of(api));
            assertThat(state.secrets()).contains(api, db, state.passwords().get("api"));
        }
    }

    @Test
    void anUnknownModuleIsRefusedNamingTheModules() throws IOException {
        Facsimile facsimile = facsimile();
        assertThatThrownBy(() -> facsimile.rotate("prod", "web"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("Instance prod has no module web to rotate: its modules are api, db");
    }
}

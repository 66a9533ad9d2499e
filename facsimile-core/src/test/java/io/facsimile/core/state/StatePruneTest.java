package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning drops only what no module claims, and only when asked. */
class StatePruneTest {

    @TempDir
    Path root;

    @Test
    void pruneDropsUnclaimedPasswordsAndServiceInstancesAndKeepsTheRest() {
        StateStore store = new StateStore(root);
        Secret kept;
        try (StateSession state = store.open("prod")) {
            kept = state.password("shop", SecretPolicy.defaults());
            state.password("legacy", SecretPolicy.defaults());
            state.serviceInstance("apid.0", "api");
            state.serviceInstance("apid.5", "api");
            state.serviceInstance("oldd.0", "old");
            state.commit();
        }
        try (StateSession state = store.open("prod")) {
            assertThat(state.prune(Set.of("shop", "api"), Set.of("api"))).containsExactly("legacy", "oldd.0");
            assertThat(state.commit()).isTrue();
        }
        try (StateSession state = store.open("prod")) {
            assertThat(state.passwords()).containsOnlyKeys("shop").containsEntry("shop", kept);
            assertThat(state.serviceInstances())
                    .as("every copy of a module that still exists stays")
                    .containsOnlyKeys("apid.0", "apid.5");
        }
    }

    @Test
    void nothingToPruneWritesNothing() throws Exception {
        StateStore store = new StateStore(root);
        try (StateSession state = store.open("prod")) {
            state.password("shop", SecretPolicy.defaults());
            state.commit();
        }
        byte[] before = Files.readAllBytes(store.stateFile("prod"));
        try (StateSession state = store.open("prod")) {
            assertThat(state.prune(Set.of("shop"), Set.of())).isEmpty();
            assertThat(state.commit()).isFalse();
        }
        assertThat(Files.readAllBytes(store.stateFile("prod"))).isEqualTo(before);
        assertThat(store.stateFile("prod").resolveSibling("state.json.bak")).doesNotExist();
    }
}

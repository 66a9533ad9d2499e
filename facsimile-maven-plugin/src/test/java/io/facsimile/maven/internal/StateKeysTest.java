package io.facsimile.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateKeysTest {

    private static final String KEY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";

    @TempDir
    Path dir;

    @Test
    void identitiesComeFromTheFilesAndFromTheEnvironmentVariable() throws Exception {
        Path file = Files.writeString(
                dir.resolve("alice.txt"), "# created: 2026-01-01\n# public key: age1…\n" + KEY + "\n");
        String other = KEY.replace("GFPQ", "GFPR");

        var keys = StateKeys.of(new Settings(), null, List.of(file), Map.of(StateKeys.IDENTITY_ENV, other + "\n"));

        assertThat(keys.ageIdentities()).containsExactly(KEY, other);
    }

    @Test
    void anEnvironmentVariableHoldingAPathInsteadOfKeysIsRefusedSayingWhatItTakes() throws Exception {
        Path file = Files.writeString(dir.resolve("alice.txt"), KEY + "\n");

        assertThatThrownBy(() ->
                        StateKeys.of(new Settings(), null, List.of(), Map.of(StateKeys.IDENTITY_ENV, file.toString())))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("$FACSIMILE_STATE_IDENTITY holds no AGE-SECRET-KEY-1")
                .hasMessageContaining("-Dfacsimile.stateIdentity=<file>")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void anIdentityFileWithoutAKeyIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(
                dir.resolve("recipients.txt"), "age1x3f5djhdrvlxg967ne4wpnlpex4rkqphhzvlled7p745w8rd3cwqareyvs\n");

        assertThatThrownBy(() -> StateKeys.of(new Settings(), null, List.of(file), Map.of()))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("The age identity file " + file + " (stateIdentities, -Dfacsimile.stateIdentity)"
                        + " holds no AGE-SECRET-KEY-1");
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsNotSet() {
        var keys = StateKeys.of(new Settings(), null, List.of(), Map.of(StateKeys.IDENTITY_ENV, " "));

        assertThat(keys.ageIdentities()).isEmpty();
        assertThat(keys.describe()).contains("$FACSIMILE_STATE_IDENTITY not set");
    }
}

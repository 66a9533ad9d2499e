package io.facsimile.core.state;

import io.facsimile.core.state.crypto.KeySource;
import io.facsimile.core.state.crypto.Recipient;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Encrypted states: where they are kept, the keys of this machine, and who a new state is encrypted for.
 *
 * @param directory where encrypted states are kept, {@code <name>.json} each; {@code null} for
 *     {@code <definitions directory>/state}, so they are committed with the definitions
 * @param keys the passphrases and age identities of this machine
 * @param recipients who a new state is encrypted for; when empty, a new state is kept in clear in the
 *     local state directory as before
 */
public record StateEncryption(Path directory, KeySource keys, List<Recipient> recipients) {

    public StateEncryption {
        Objects.requireNonNull(keys, "keys");
        recipients = List.copyOf(recipients);
    }
}

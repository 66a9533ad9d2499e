package io.facsimile.core.state.crypto;

import java.util.List;
import java.util.Optional;

/**
 * The keys this machine holds to open encrypted states: passphrases by name and age identities. The
 * Maven plugin reads them from settings.xml, environment variables and identity files; a test gives
 * them directly. Nothing here is logged or printed.
 */
public interface KeySource {

    /** The passphrase of the recipient {@code passphrase:<name>}, when this machine has it. */
    Optional<String> passphrase(String name);

    /**
     * The passphrase to wrap a new data key for the recipient {@code passphrase:<name>}: only one this machine
     * holds under that name, never a fallback that opens states whatever their passphrase is called (CI's
     * environment variable), which would wrap the key under another passphrase than the recipient's and lock
     * it out. By default {@link #passphrase}.
     */
    default Optional<String> passphraseToWrap(String name) {
        return passphrase(name);
    }

    /** The age identities ({@code AGE-SECRET-KEY-1…}) this machine has; may be empty. */
    List<String> ageIdentities();

    /** Where keys are looked for, for an error message: e.g. "settings.xml servers, $FACSIMILE_STATE_PASSPHRASE". */
    String describe();

    /** No keys at all: only plaintext states can be opened. */
    static KeySource none() {
        return of(name -> Optional.empty(), List.of(), "no keys configured");
    }

    /** Keys from a function and a list; the same passphrases open and wrap. */
    static KeySource of(
            java.util.function.Function<String, Optional<String>> passphrases,
            List<String> identities,
            String description) {
        return of(passphrases, passphrases, identities, description);
    }

    /** Keys from functions and a list: {@code named} are the passphrases held by name, used to wrap too. */
    static KeySource of(
            java.util.function.Function<String, Optional<String>> passphrases,
            java.util.function.Function<String, Optional<String>> named,
            List<String> identities,
            String description) {
        List<String> copy = List.copyOf(identities);
        return new KeySource() {
            @Override
            public Optional<String> passphrase(String name) {
                return passphrases.apply(name);
            }

            @Override
            public Optional<String> passphraseToWrap(String name) {
                return named.apply(name);
            }

            @Override
            public List<String> ageIdentities() {
                return copy;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public String toString() {
                return "KeySource[" + description + "]";
            }
        };
    }
}

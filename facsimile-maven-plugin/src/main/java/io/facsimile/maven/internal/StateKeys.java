package io.facsimile.maven.internal;

import io.facsimile.core.state.StateException;
import io.facsimile.core.state.crypto.KeySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The keys of this machine for encrypted states:
 * <ul>
 *   <li>the passphrase of recipient {@code passphrase:<id>}: the {@code <password>} of the settings.xml
 *       {@code <server>} with that id, decrypted by Maven's {@link SettingsDecrypter} ({@code mvn
 *       --encrypt-password}); else the environment variable {@value #PASSPHRASE_ENV} (for CI);
 *   <li>age identities: the {@code AGE-SECRET-KEY-1…} lines of the files given as {@code stateIdentities}
 *       ({@code -Dfacsimile.stateIdentity=}) and of the environment variable {@value #IDENTITY_ENV}.
 * </ul>
 * Settings are decrypted only when a state asks for that passphrase; nothing here is logged.
 */
public final class StateKeys {

    /** The passphrase of any passphrase recipient that has no settings.xml server here. */
    public static final String PASSPHRASE_ENV = "FACSIMILE_STATE_PASSPHRASE";
    /** Age identities, one {@code AGE-SECRET-KEY-1…} per line. */
    public static final String IDENTITY_ENV = "FACSIMILE_STATE_IDENTITY";

    private StateKeys() {}

    /** The key source of a build. */
    public static KeySource of(
            Settings settings, SettingsDecrypter decrypter, List<Path> identityFiles, Map<String, String> environment) {
        List<String> identities = new ArrayList<>();
        for (Path file : identityFiles) {
            List<String> keys;
            try {
                keys = ageKeys(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new StateException("Cannot read the age identity file " + file + " (stateIdentities,"
                        + " -Dfacsimile.stateIdentity): " + e.getClass().getSimpleName()
                        + ". Give the file age-keygen wrote, holding an AGE-SECRET-KEY-1… line");
            }
            if (keys.isEmpty()) {
                throw new StateException("The age identity file " + file + " (stateIdentities,"
                        + " -Dfacsimile.stateIdentity) holds no AGE-SECRET-KEY-1… line. Give the file age-keygen"
                        + " wrote (a recipients file holds only public keys)");
            }
            identities.addAll(keys);
        }
        String fromEnvironment = environment.get(IDENTITY_ENV);
        if (fromEnvironment != null && fromEnvironment.isBlank()) {
            fromEnvironment = null;
        }
        if (fromEnvironment != null) {
            List<String> keys = ageKeys(fromEnvironment);
            if (keys.isEmpty()) {
                // never quoted: it may hold a key in a form this does not read
                throw new StateException("$" + IDENTITY_ENV + " holds no AGE-SECRET-KEY-1… line. It takes the"
                        + " identities themselves, one per line; for a file, give -Dfacsimile.stateIdentity=<file>"
                        + " (parameter stateIdentities) instead, or unset the variable");
            }
            identities.addAll(keys);
        }
        String passphraseEnv = environment.get(PASSPHRASE_ENV);
        String description = "settings.xml <server> ids, $" + PASSPHRASE_ENV + " "
                + (passphraseEnv == null || passphraseEnv.isEmpty() ? "not set" : "set")
                + ", age identities from "
                + (identityFiles.isEmpty()
                        ? "no file"
                        : identityFiles.stream().map(Path::toString).collect(Collectors.joining(", ")))
                + " and $" + IDENTITY_ENV + " " + (fromEnvironment == null ? "not set" : "set");
        // the environment's passphrase opens a state whatever its recipient is called; a key is wrapped only
        // for a passphrase held under the recipient's own name
        return KeySource.of(
                name -> passphrase(settings, decrypter, name)
                        .or(() -> passphraseEnv == null || passphraseEnv.isEmpty()
                                ? Optional.empty()
                                : Optional.of(passphraseEnv)),
                name -> passphrase(settings, decrypter, name),
                identities,
                description);
    }

    private static Optional<String> passphrase(Settings settings, SettingsDecrypter decrypter, String id) {
        return DecryptedServers.find(
                        settings,
                        decrypter,
                        id,
                        problems -> new StateException("Cannot decrypt <server> " + id + " of settings.xml: " + problems
                                + ". Check ~/.m2/settings-security.xml and the encrypted values"))
                .map(Server::getPassword)
                .filter(password -> !password.isEmpty());
    }

    private static List<String> ageKeys(String text) {
        return text.lines()
                .map(String::strip)
                .filter(line -> line.startsWith("AGE-SECRET-KEY-1"))
                .toList();
    }
}

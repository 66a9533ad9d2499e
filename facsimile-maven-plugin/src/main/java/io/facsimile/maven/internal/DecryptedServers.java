package io.facsimile.maven.internal;

import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** The settings.xml {@code <server>}s of SSH logins and state passphrases, decrypted by Maven when asked for. */
final class DecryptedServers {

    private DecryptedServers() {}

    /**
     * The {@code <server>} with this id, its values decrypted ({@code mvn --encrypt-password}), or empty when
     * settings.xml has none.
     *
     * @param refusal the exception to throw when a value cannot be decrypted, made from the problems Maven
     *     reports, {@code "; "}-separated
     */
    static Optional<Server> find(
            Settings settings, SettingsDecrypter decrypter, String id, Function<String, RuntimeException> refusal) {
        Server server = settings == null ? null : settings.getServer(id);
        if (server == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        if (!result.getProblems().isEmpty()) {
            throw refusal.apply(result.getProblems().stream()
                    .map(SettingsProblem::getMessage)
                    .collect(Collectors.joining("; ")));
        }
        return Optional.of(result.getServer());
    }
}

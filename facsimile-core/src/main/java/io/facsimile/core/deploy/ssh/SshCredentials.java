package io.facsimile.core.deploy.ssh;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to log in to the nodes of a deploy. A private key (optionally protected by a passphrase), a
 * password, or both; with neither, the default keys of the current user are tried
 * ({@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, unprotected ones only).
 * {@link #toString()} never shows the password or passphrase.
 *
 * @param user the login name; {@code null} for the current user ({@code user.name})
 * @param password the password, or {@code null}
 * @param privateKey an OpenSSH or PEM private key file, or {@code null}
 * @param passphrase the key's passphrase, or {@code null}
 */
public record SshCredentials(String user, String password, Path privateKey, String passphrase) {

    /** No password, no key: the current user with the default keys. */
    public static SshCredentials defaults() {
        return new SshCredentials(null, null, null, null);
    }

    /** The login name, the current user when none was given. */
    public String login() {
        return user == null || user.isBlank() ? System.getProperty("user.name", "root") : user;
    }

    /** A copy with another user, when {@code other} is not blank. */
    public SshCredentials withUser(String other) {
        return other == null || other.isBlank() ? this : new SshCredentials(other, password, privateKey, passphrase);
    }

    /** The password, if any. */
    public Optional<String> passwordValue() {
        return Optional.ofNullable(password).filter(p -> !p.isEmpty());
    }

    @Override
    public String toString() {
        return "SshCredentials[user=" + user + ", password=" + (password == null ? "none" : "****") + ", privateKey="
                + privateKey + ", passphrase=" + (passphrase == null ? "none" : "****") + "]";
    }
}

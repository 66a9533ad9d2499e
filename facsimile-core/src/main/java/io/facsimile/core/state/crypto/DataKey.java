package io.facsimile.core.state.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The key of one encrypted state: a Tink AEAD keyset (AES-256-GCM). Each value is one Tink ciphertext,
 * written as {@code tink:<base64>}, whose associated data binds it to the state and the place it is
 * stored: a ciphertext copied to another key or another state does not decrypt.
 *
 * <p>The keyset is never written in clear: {@link KeyWrap} wraps it for each recipient.
 */
public final class DataKey {

    /** How an encrypted value starts, so a reader can tell it from a plaintext one. */
    public static final String PREFIX = "tink:";

    private final KeysetHandle handle;
    private final Aead aead;

    private DataKey(KeysetHandle handle) throws GeneralSecurityException {
        this.handle = handle;
        this.aead = handle.getPrimitive(Tink.configuration(), Aead.class);
    }

    /** A fresh random key. */
    public static DataKey generate() {
        try {
            Tink.configuration();
            return new DataKey(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot generate an AES-256-GCM key", e);
        }
    }

    static DataKey of(KeysetHandle handle) throws GeneralSecurityException {
        return new DataKey(handle);
    }

    KeysetHandle handle() {
        return handle;
    }

    /** The keyset in Tink's JSON format, in clear: only ever handed to an encryption (age). */
    byte[] cleartextKeyset() throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get())
                .getBytes(StandardCharsets.UTF_8);
    }

    static DataKey fromCleartextKeyset(byte[] keyset) throws GeneralSecurityException {
        Tink.configuration();
        return new DataKey(TinkJsonProtoKeysetFormat.parseKeyset(
                new String(keyset, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get()));
    }

    /** Encrypts {@code plaintext} bound to {@code associatedData}: {@code tink:<base64>}. */
    public String encrypt(String plaintext, String associatedData) {
        try {
            byte[] ciphertext = aead.encrypt(
                    plaintext.getBytes(StandardCharsets.UTF_8), associatedData.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt(String, String)} with the same associated data.
     *
     * @throws GeneralSecurityException when the value was changed, moved, or encrypted with another key
     */
    public String decrypt(String value, String associatedData) throws GeneralSecurityException {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new GeneralSecurityException("not an encrypted value");
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64");
        }
        byte[] plaintext = aead.decrypt(ciphertext, associatedData.getBytes(StandardCharsets.UTF_8));
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DataKey[AES-256-GCM, id " + handle.getPrimary().getId() + "]";
    }

    /** Registers Tink's AEAD key managers once per class loader. */
    static final class Tink {
        private static final com.google.crypto.tink.Configuration CONFIGURATION = register();

        private Tink() {}

        static com.google.crypto.tink.Configuration configuration() {
            return CONFIGURATION;
        }

        private static com.google.crypto.tink.Configuration register() {
            try {
                AeadConfig.register();
                return RegistryConfiguration.get();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Tink's AEAD cannot be registered", e);
            }
        }
    }
}

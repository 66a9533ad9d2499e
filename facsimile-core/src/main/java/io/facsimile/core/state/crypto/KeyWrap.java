package io.facsimile.core.state.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Wraps a state's {@link DataKey} for one {@link Recipient}, and unwraps it with the keys of this machine.
 *
 * <ul>
 *   <li>age recipient: the keyset (Tink JSON) encrypted to the public key in the age format, ASCII-armored
 *       ({@code {"age": "-----BEGIN AGE ENCRYPTED FILE-----…"}}); {@code age -d -i key.txt} opens it too;
 *   <li>passphrase recipient: a Tink encrypted keyset ({@code keyset}) whose key-encryption key is
 *       PBKDF2-HMAC-SHA256 of the passphrase ({@code salt}, {@code iterations}), with the state name as
 *       associated data.
 * </ul>
 */
public final class KeyWrap {

    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 600_000;

    private static final String AGE = "age";
    private static final String KEYSET = "keyset";
    private static final String SALT = "salt";
    private static final String KDF = "kdf";
    private static final String PBKDF2 = "PBKDF2WithHmacSHA256";
    private static final String KDF_ITERATIONS = "iterations";

    private KeyWrap() {}

    /** This machine holds no key for the recipient. */
    public static final class NoKeyException extends Exception {
        private static final long serialVersionUID = 1L;

        NoKeyException(String message) {
            super(message);
        }
    }

    /**
     * The data key wrapped for {@code recipient}.
     *
     * @throws NoKeyException for a passphrase recipient whose passphrase this machine does not have
     */
    public static ObjectNode wrap(
            DataKey key, Recipient recipient, KeySource keys, String stateName, SecureRandom random)
            throws NoKeyException {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        try {
            if (recipient instanceof Recipient.Age age) {
                RecipientStanzaWriter writer =
                        X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(age.publicKey());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory()
                        .newEncryptingChannel(Channels.newChannel(out), List.of(writer))) {
                    channel.write(ByteBuffer.wrap(key.cleartextKeyset()));
                }
                entry.put(AGE, out.toString(StandardCharsets.US_ASCII));
            } else if (recipient instanceof Recipient.Passphrase passphrase) {
                String secret = keys.passphrase(passphrase.name())
                        .orElseThrow(() -> new NoKeyException(
                                "the passphrase " + passphrase.name() + " is not available (" + keys.describe() + ")"));
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                entry.put(KDF, PBKDF2);
                entry.put(KDF_ITERATIONS, ITERATIONS);
                entry.put(SALT, Base64.getEncoder().encodeToString(salt));
                entry.put(
                        KEYSET,
                        TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(
                                key.handle(), kek(secret, salt, ITERATIONS), associatedData(stateName)));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "Cannot wrap the data key of state " + stateName + " for " + recipient.id() + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
        return entry;
    }

    /**
     * The data key unwrapped from {@code entry} with this machine's keys.
     *
     * @throws NoKeyException when this machine has no key for the recipient
     * @throws GeneralSecurityException when it has one and it does not open the entry (wrong key, changed entry)
     */
    public static DataKey unwrap(Recipient recipient, JsonNode entry, KeySource keys, String stateName)
            throws NoKeyException, GeneralSecurityException {
        if (recipient instanceof Recipient.Age) {
            String armored = text(entry, AGE);
            List<String> identities = keys.ageIdentities();
            if (identities.isEmpty()) {
                throw new NoKeyException("no age identity is configured (" + keys.describe() + ")");
            }
            List<RecipientStanzaReader> readers = new ArrayList<>();
            for (String identity : identities) {
                try {
                    readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity));
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    // never quoted: it is a secret key, if a mistyped one
                    throw new NoKeyException("an age identity given (" + keys.describe() + ") is not a whole"
                            + " AGE-SECRET-KEY-1… line: check for a truncated or mistyped line");
                }
            }
            InputStream in = new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII));
            try (ReadableByteChannel channel =
                    new ArmoredDecryptingChannelFactory().newDecryptingChannel(Channels.newChannel(in), readers)) {
                return DataKey.fromCleartextKeyset(
                        Channels.newInputStream(channel).readAllBytes());
            } catch (IOException e) {
                throw new GeneralSecurityException("the age identities do not open it", e);
            }
        }
        Recipient.Passphrase passphrase = (Recipient.Passphrase) recipient;
        String secret = keys.passphrase(passphrase.name())
                .orElseThrow(() -> new NoKeyException(
                        "the passphrase " + passphrase.name() + " is not available (" + keys.describe() + ")"));
        if (!PBKDF2.equals(text(entry, KDF))) {
            throw new GeneralSecurityException("unknown key derivation " + entry.path(KDF));
        }
        int iterations = entry.path(KDF_ITERATIONS).asInt(0);
        if (iterations < 100_000 || iterations > 100_000_000) {
            throw new GeneralSecurityException("iterations out of range: " + iterations);
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(text(entry, SALT));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the entry's salt is not base64: the entry was changed", e);
        }
        DataKey.Tink.configuration();
        KeysetHandle handle = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
                text(entry, KEYSET), kek(secret, salt, iterations), associatedData(stateName));
        return DataKey.of(handle);
    }

    private static String text(JsonNode entry, String field) throws GeneralSecurityException {
        JsonNode value = entry == null ? null : entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new GeneralSecurityException("the entry has no " + field);
        }
        return value.textValue();
    }

    private static byte[] associatedData(String stateName) {
        return ("facsimile-state/v1\0" + stateName).getBytes(StandardCharsets.UTF_8);
    }

    /** The key-encryption key: AES-256-GCM from PBKDF2-HMAC-SHA256 of the passphrase. */
    private static Aead kek(String passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        KeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 256);
        byte[] raw = SecretKeyFactory.getInstance(PBKDF2).generateSecret(spec).getEncoded();
        AesGcmKey key = AesGcmKey.builder()
                .setParameters(AesGcmParameters.builder()
                        .setKeySizeBytes(32)
                        .setIvSizeBytes(12)
                        .setTagSizeBytes(16)
                        .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                        .build())
                .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get()))
                .build();
        return KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary())
                .build()
                .getPrimitive(DataKey.Tink.configuration(), Aead.class);
    }
}

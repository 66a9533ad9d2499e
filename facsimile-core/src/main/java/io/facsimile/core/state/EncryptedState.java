package io.facsimile.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facsimile.core.state.crypto.DataKey;
import io.facsimile.core.state.crypto.KeySource;
import io.facsimile.core.state.crypto.KeyWrap;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.state.crypto.RecipientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The encrypted form of a state, committed with the definitions: the plaintext layout of SPEC §5 with each
 * password (current and retired) replaced by a {@link DataKey} ciphertext, plus the data key wrapped for
 * each recipient:
 *
 * <pre>{"encryption": {"version": 1, "recipients": {"age1…": {"age": "-----BEGIN AGE…"},
 *                                                 "passphrase:team": {"kdf": …, "keyset": …}}},
 *  "passwd": {"proj0": "tink:AYx…"}, "retired": {"proj0": ["tink:…"]}, "instances": {…in clear…}}</pre>
 *
 * <p>Keys and structure stay readable so that git diffs and merges work per value. Each value's associated
 * data is the state name and its JSON pointer ({@code /passwd/proj0}), so a value moved to another key or
 * state does not decrypt. A value that did not change keeps its ciphertext, so a commit changes only the
 * lines of the values that changed.
 */
final class EncryptedState implements StateFormat {

    static final String ENCRYPTION = "encryption";
    private static final String VERSION = "version";
    private static final String RECIPIENTS = "recipients";

    private final String name;
    private final Path file;
    private final KeySource keys;
    private final SecureRandom random;
    private DataKey dataKey;
    /** Wrapped data key by recipient id, sorted. */
    private final Map<String, JsonNode> wrapped = new TreeMap<>();
    /** Ciphertexts as read, by associated data and plaintext, so an unchanged value keeps its bytes. */
    private final Map<String, String> ciphertexts = new HashMap<>();

    private EncryptedState(String name, Path file, KeySource keys, SecureRandom random) {
        this.name = name;
        this.file = file;
        this.keys = keys;
        this.random = random;
    }

    /**
     * A new encrypted state with a fresh data key wrapped for {@code recipients}.
     *
     * @throws StateException when a passphrase recipient's passphrase is not available here
     */
    static EncryptedState create(
            String name, Path file, List<Recipient> recipients, KeySource keys, SecureRandom random) {
        if (recipients.isEmpty()) {
            throw new StateException("An encrypted state needs at least one recipient: set stateRecipients"
                    + " (-Dfacsimile.stateRecipients=age1…,passphrase:<server id>)");
        }
        EncryptedState state = new EncryptedState(name, file, keys, random);
        state.dataKey = DataKey.generate();
        recipients.forEach(state::wrapFor);
        return state;
    }

    /** An encrypted state read from {@code file}; {@link #decode(byte[])} opens it with this machine's keys. */
    static EncryptedState reader(String name, Path file, KeySource keys, SecureRandom random) {
        return new EncryptedState(name, file, keys, random);
    }

    /** Who can open the state: the recipient ids, sorted. */
    List<String> recipients() {
        return List.copyOf(wrapped.keySet());
    }

    /** Wraps the data key for one more recipient. */
    void add(Recipient recipient) {
        wrapFor(recipient, wrapped.get(recipient.id()));
    }

    /**
     * Removes a recipient and changes the data key, so that the removed recipient cannot open what is
     * written from now on; every value is encrypted again with the new key at the next write.
     */
    void remove(Recipient recipient, List<Recipient> remaining) {
        if (remaining.isEmpty()) {
            throw new StateException("Cannot remove " + recipient.id() + " from state " + name + ": it is the last"
                    + " recipient; add another one first (facsimile:state-keys -Dfacsimile.addRecipient=…)");
        }
        Map<String, JsonNode> before = new HashMap<>(wrapped);
        wrapped.clear();
        ciphertexts.clear();
        dataKey = DataKey.generate();
        remaining.forEach(r -> wrapFor(r, before.get(r.id())));
    }

    private void wrapFor(Recipient recipient) {
        wrapFor(recipient, null);
    }

    /**
     * Wraps the data key for {@code recipient}, whose entry was {@code previous} ({@code null} for a new
     * one). A passphrase wraps for an existing recipient only when it opens that recipient's entry, whether
     * this machine holds it under the recipient's name (a settings.xml {@code <server>}, perhaps stale) or as
     * the fallback that opens states whatever their recipient is called ({@code $FACSIMILE_STATE_PASSPHRASE}):
     * otherwise it is another passphrase, and wrapping with it would lock the recipient (CI) out.
     */
    private void wrapFor(Recipient recipient, JsonNode previous) {
        if (recipient instanceof Recipient.Passphrase passphrase
                && previous != null
                && keys.passphrase(passphrase.name()).isPresent()) {
            // the passphrase that wraps must be the recipient's: one that does not open its entry (a stale
            // settings.xml <server>, the environment's fallback) would lock the recipient (CI) out
            try {
                KeyWrap.unwrap(recipient, previous, keys, name);
            } catch (KeyWrap.NoKeyException | GeneralSecurityException | RuntimeException e) {
                throw new StateException("Cannot wrap the key of state " + name + " for " + recipient.id() + ": "
                        + (keys.passphraseToWrap(passphrase.name()).isEmpty()
                                ? "the only passphrase here for it is the fallback (" + keys.describe() + "), and it"
                                : "the passphrase held here under its name (" + keys.describe() + ")")
                        + " does not open that recipient's entry, so it is another passphrase; wrapping with it"
                        + " would lock " + recipient.id() + " out. Store its current passphrase in settings.xml as"
                        + " <server><id>" + passphrase.name() + "</id><password>…</password></server>. Nothing was"
                        + " written");
            }
        }
        try {
            wrapped.put(recipient.id(), KeyWrap.wrap(dataKey, recipient, keys, name, random));
        } catch (KeyWrap.NoKeyException e) {
            throw new StateException("Cannot wrap the key of state " + name + " for " + recipient.id() + ": "
                    + e.getMessage() + ". Store the passphrase in settings.xml as <server><id>"
                    + ((Recipient.Passphrase) recipient).name() + "</id><password>…</password></server>"
                    + " (mvn --encrypt-password encrypts it) or set it in the environment variable");
        }
    }

    @Override
    public StateDocument decode(byte[] content) throws StateCodec.MalformedStateException {
        refuseConflictMarkers(content);
        ObjectNode root = StateCodec.readTree(content);
        JsonNode encryption = root.get(ENCRYPTION);
        if (encryption == null
                || !encryption.isObject()
                || !encryption.path(RECIPIENTS).isObject()) {
            throw new StateCodec.MalformedStateException("has no \"" + ENCRYPTION + "\".\"" + RECIPIENTS + "\" object;"
                    + " an encrypted state names the recipients its key is wrapped for");
        }
        if (encryption.path(VERSION).asInt(0) != 1) {
            throw new StateCodec.MalformedStateException("has encryption version " + encryption.path(VERSION)
                    + "; this version of Facsimile reads version 1");
        }
        wrapped.clear();
        encryption.get(RECIPIENTS).properties().forEach(e -> wrapped.put(e.getKey(), e.getValue()));
        dataKey = unwrap();
        ObjectNode plain = root.deepCopy();
        plain.remove(ENCRYPTION);
        decryptValues(plain);
        return StateCodec.fromTree(plain);
    }

    private DataKey unwrap() {
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : wrapped.entrySet()) {
            try {
                return KeyWrap.unwrap(Recipient.parse(entry.getKey()), entry.getValue(), keys, name);
            } catch (KeyWrap.NoKeyException e) {
                reasons.add(entry.getKey() + ": " + e.getMessage());
            } catch (RecipientException e) {
                reasons.add(entry.getKey() + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                reasons.add(entry.getKey() + ": the key this machine has does not open it (wrong passphrase or"
                        + " identity, or the entry was changed)");
            }
        }
        throw new StateException("Cannot open the encrypted state " + name + " (" + file + "): it is readable by "
                + String.join(", ", wrapped.keySet()) + ", and none of their keys is here. Tried: "
                + String.join("; ", reasons) + ". Nothing was written. Ask someone who can open it to add you"
                + " (mvn facsimile:state-keys -Dfacsimile.addRecipient=<your age1… key>), or provide the passphrase"
                + " or identity");
    }

    private void decryptValues(ObjectNode plain) throws StateCodec.MalformedStateException {
        JsonNode passwd = plain.get(StateCodec.PASSWD);
        if (passwd instanceof ObjectNode passwords) {
            for (Map.Entry<String, JsonNode> entry : List.copyOf(passwords.properties())) {
                String ad = associatedData(StateCodec.PASSWD, entry.getKey());
                passwords.put(entry.getKey(), decrypt(entry.getValue(), ad, StateCodec.PASSWD, entry.getKey()));
            }
        }
        JsonNode retired = plain.get(StateCodec.RETIRED);
        if (retired instanceof ObjectNode byUser) {
            for (Map.Entry<String, JsonNode> entry : List.copyOf(byUser.properties())) {
                if (entry.getValue() instanceof ArrayNode values) {
                    String ad = associatedData(StateCodec.RETIRED, entry.getKey());
                    for (int i = 0; i < values.size(); i++) {
                        values.set(i, plain.textNode(decrypt(values.get(i), ad, StateCodec.RETIRED, entry.getKey())));
                    }
                }
            }
        }
    }

    private String decrypt(JsonNode value, String ad, String section, String key)
            throws StateCodec.MalformedStateException {
        String where = section + "." + StateCodec.quote(key);
        if (value == null || !value.isTextual()) {
            throw new StateCodec.MalformedStateException("key " + where + " must be an encrypted string");
        }
        try {
            String plaintext = dataKey.decrypt(value.textValue(), ad);
            ciphertexts.put(ad + '\0' + plaintext, value.textValue());
            return plaintext;
        } catch (GeneralSecurityException e) {
            throw new StateCodec.MalformedStateException("key " + where + " does not decrypt: it was changed, copied"
                    + " from another key or state, or encrypted with another data key (a merge that took the"
                    + " recipients of one side and this value of the other?). Take the whole value from one commit:"
                    + " git checkout <commit> -- <file>, or delete the key to generate a new value");
        }
    }

    @Override
    public byte[] encode(StateDocument document) {
        ObjectNode root = StateCodec.toTree(document);
        ObjectNode passwd = (ObjectNode) root.get(StateCodec.PASSWD);
        for (Map.Entry<String, JsonNode> entry : List.copyOf(passwd.properties())) {
            passwd.put(
                    entry.getKey(),
                    encrypt(entry.getValue().textValue(), associatedData(StateCodec.PASSWD, entry.getKey())));
        }
        if (root.get(StateCodec.RETIRED) instanceof ObjectNode retired) {
            for (Map.Entry<String, JsonNode> entry : List.copyOf(retired.properties())) {
                ArrayNode values = (ArrayNode) entry.getValue();
                String ad = associatedData(StateCodec.RETIRED, entry.getKey());
                for (int i = 0; i < values.size(); i++) {
                    values.set(i, root.textNode(encrypt(values.get(i).textValue(), ad)));
                }
            }
        }
        ObjectNode encryption = root.putObject(ENCRYPTION);
        encryption.put(VERSION, 1);
        ObjectNode recipients = encryption.putObject(RECIPIENTS);
        wrapped.forEach(recipients::set);
        return StateCodec.serialize(root);
    }

    private String encrypt(String plaintext, String ad) {
        return ciphertexts.computeIfAbsent(ad + '\0' + plaintext, k -> dataKey.encrypt(plaintext, ad));
    }

    /** The state name and the value's JSON pointer (RFC 6901), e.g. {@code prod} and {@code /passwd/proj0}. */
    private String associatedData(String section, String key) {
        return "facsimile-state/v1\0" + name + "\0/" + section + "/"
                + key.replace("~", "~0").replace("/", "~1");
    }

    /**
     * A merge tool that kept both sides leaves conflict markers: refuse them before JSON parsing, naming the
     * keys that differ and how to choose, never the values.
     */
    private void refuseConflictMarkers(byte[] content) throws StateCodec.MalformedStateException {
        String text = new String(content, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        Set<String> keys = new LinkedHashSet<>();
        int first = -1;
        boolean inside = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("<<<<<<<")) {
                inside = true;
                first = first < 0 ? i + 1 : first;
            } else if (line.startsWith(">>>>>>>")) {
                inside = false;
            } else if (inside) {
                java.util.regex.Matcher key = KEY.matcher(line);
                if (key.find() && !line.startsWith("=======")) {
                    keys.add(key.group(1));
                }
            }
        }
        if (first > 0) {
            throw new StateCodec.MalformedStateException("holds git conflict markers (first at line " + first
                    + "): the two sides of a merge disagree on " + String.join(", ", keys) + ". Each side generated"
                    + " its own value; keep one side's value per key (the one your nodes already run, see"
                    + " mvn facsimile:diff), delete the other side and the marker lines, and commit");
        }
    }

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("^\\s*\"([^\"]+)\"\\s*:");
}

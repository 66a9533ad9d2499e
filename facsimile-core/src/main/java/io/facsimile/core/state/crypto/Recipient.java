package io.facsimile.core.state.crypto;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Someone who can open an encrypted state: the state's data key is wrapped once for each recipient.
 *
 * <p>Written as in the {@code stateRecipients} parameter and in the state file:
 * <ul>
 *   <li>{@code age1…}: an age X25519 public key ({@code age-keygen} makes one); the holder of the matching
 *       {@code AGE-SECRET-KEY-1…} opens the state;
 *   <li>{@code passphrase:<name>}: a passphrase shared by a team or a CI, found on each machine in the
 *       settings.xml {@code <server>} with id {@code <name>} or in an environment variable.
 * </ul>
 */
public sealed interface Recipient permits Recipient.Age, Recipient.Passphrase {

    /** How the recipient is written: {@code age1…} or {@code passphrase:<name>}. */
    String id();

    /**
     * Reads a recipient as written by a user.
     *
     * @throws RecipientException (a user error) saying which forms are accepted
     */
    static Recipient parse(String text) {
        String value = text == null ? "" : text.strip();
        if (value.startsWith(Passphrase.PREFIX)) {
            return new Passphrase(value.substring(Passphrase.PREFIX.length()));
        }
        if (value.startsWith("age1")) {
            return new Age(value);
        }
        if (value.regionMatches(true, 0, "AGE-SECRET-KEY-", 0, "AGE-SECRET-KEY-".length())) {
            // quoted, part of a private key would land in the console and the CI log
            throw new RecipientException("A state recipient is an age identity (AGE-SECRET-KEY-1…), a secret key:"
                    + " give its public key instead (age-keygen -y <identity file> prints it), and keep the"
                    + " identity out of the pom and the command line. Consider it exposed if it was typed where"
                    + " others can read it");
        }
        if (value.startsWith("ssh-ed25519 ") || value.startsWith("ssh-rsa ")) {
            throw new RecipientException("State recipient \"" + abbreviate(value) + "\" is an SSH public key; this"
                    + " version reads age X25519 keys (age1…) and passphrases only. Make an age key with age-keygen,"
                    + " or convert the SSH key with ssh-to-age, and add that");
        }
        throw new RecipientException("Unknown state recipient \"" + abbreviate(value) + "\": write an age public key"
                + " (age1…, from age-keygen) or passphrase:<server id> (the passphrase is then read from the"
                + " settings.xml <server> of that id, or from the environment variable FACSIMILE_STATE_PASSPHRASE)");
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 37) + "…" : value;
    }

    /**
     * An age X25519 recipient.
     *
     * @param publicKey the {@code age1…} public key
     */
    record Age(String publicKey) implements Recipient {

        private static final Pattern BECH32 = Pattern.compile("age1[02-9ac-hj-np-z]{58}");

        public Age {
            if (publicKey == null
                    || !BECH32.matcher(publicKey.toLowerCase(Locale.ROOT)).matches()) {
                throw new RecipientException("\"" + publicKey + "\" is not an age X25519 public key: it must be age1"
                        + " followed by 58 letters and digits, as age-keygen prints it");
            }
            publicKey = publicKey.toLowerCase(Locale.ROOT);
        }

        @Override
        public String id() {
            return publicKey;
        }
    }

    /**
     * A passphrase recipient.
     *
     * @param name the settings.xml server id the passphrase is kept under
     */
    record Passphrase(String name) implements Recipient {

        static final String PREFIX = "passphrase:";
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

        public Passphrase {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new RecipientException("\"" + PREFIX + name + "\" needs a name of letters, digits, '.', '_' or"
                        + " '-': the id of the settings.xml <server> that holds the passphrase, e.g."
                        + " passphrase:facsimile.state");
            }
        }

        @Override
        public String id() {
            return PREFIX + name;
        }
    }
}

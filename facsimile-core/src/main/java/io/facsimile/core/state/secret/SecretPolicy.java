package io.facsimile.core.state.secret;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * How a new password is generated. A module chooses it with its {@code password} key; see
 * {@link #parse(Object, String)}. A policy only matters the first time: a stored password is never
 * regenerated, whatever the policy says later.
 */
public sealed interface SecretPolicy permits SecretPolicy.RandomCharacters, SecretPolicy.RandomUuid {

    /** The length of a password when the module says nothing. */
    int DEFAULT_LENGTH = 32;

    /** The shortest length a definition may ask for. */
    int MIN_LENGTH = 8;

    /** The longest length a definition may ask for. */
    int MAX_LENGTH = 4096;

    /** What {@link #parse} accepts, quoted by every error it raises. */
    String ALLOWED = "password must be absent (32 random alphanumeric characters), the string \"uuid\","
            + " or a map {length: " + MIN_LENGTH + ".." + MAX_LENGTH + ", alphabet: " + Alphabet.ALLOWED + "}";

    /**
     * Generates a new secret.
     *
     * @param random the source of randomness; must be a {@link SecureRandom} in production
     */
    Secret generate(SecureRandom random);

    /** 32 characters from {@link Alphabet#ALNUM}. */
    static SecretPolicy defaults() {
        return new RandomCharacters(DEFAULT_LENGTH, Alphabet.ALNUM);
    }

    /** {@link #parse(Object, String)} with a generic location in error messages. */
    static SecretPolicy parse(Object value) {
        return parse(value, "module");
    }

    /**
     * Reads a module's {@code password} value as it comes from YAML, JSON or TOML.
     *
     * <ul>
     *   <li>absent ({@code null}): {@link #defaults()}
     *   <li>the string {@code uuid}: a random UUID such as {@code 3b241101-e2bb-4255-8caf-4136c566a962},
     *       the format of the original tool
     *   <li>a map with {@code length} (default 32, {@value #MIN_LENGTH}..{@value #MAX_LENGTH}) and
     *       {@code alphabet} ({@code alnum} (default), {@code hex}, {@code base64url} or literal characters)
     * </ul>
     *
     * @param value the raw value of {@code password}
     * @param where what to prefix an error with (file and key), e.g. {@code modules.yaml: module api}
     * @throws PolicyException (a user error) naming what is allowed; a string value is never quoted back,
     *     since it may be a password someone tried to set here
     */
    static SecretPolicy parse(Object value, String where) {
        Objects.requireNonNull(where, "where");
        if (value == null) {
            return defaults();
        }
        if (value instanceof CharSequence text) {
            if ("uuid".contentEquals(text)) {
                return new RandomUuid();
            }
            throw new PolicyException(where + ": password is a string other than \"uuid\"; a fixed password"
                    + " cannot be set in the definition (it is generated once and kept in the state). " + ALLOWED);
        }
        if (value instanceof Map<?, ?> map) {
            return parseMap(map, where);
        }
        throw new PolicyException(where + ": password is a " + describeType(value) + "; " + ALLOWED);
    }

    private static SecretPolicy parseMap(Map<?, ?> map, String where) {
        Set<String> unknown = new TreeSet<>();
        for (Object key : map.keySet()) {
            if (!"length".equals(key) && !"alphabet".equals(key)) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new PolicyException(where + ": password has unknown keys " + unknown + "; " + ALLOWED);
        }
        int length = DEFAULT_LENGTH;
        Object rawLength = map.get("length");
        if (rawLength != null) {
            if (!(rawLength instanceof Integer
                    || rawLength instanceof Long
                    || rawLength instanceof Short
                    || rawLength instanceof BigInteger)) {
                throw new PolicyException(where + ": password.length must be a whole number from " + MIN_LENGTH + " to "
                        + MAX_LENGTH + ", found a " + describeType(rawLength) + " " + rawLength);
            }
            long asLong = rawLength instanceof BigInteger big
                    ? (big.bitLength() < 63 ? big.longValue() : Long.MAX_VALUE)
                    : ((Number) rawLength).longValue();
            if (asLong < MIN_LENGTH || asLong > MAX_LENGTH) {
                throw new PolicyException(where + ": password.length must be from " + MIN_LENGTH + " to " + MAX_LENGTH
                        + ", found " + rawLength);
            }
            length = (int) asLong;
        }
        Alphabet alphabet = Alphabet.ALNUM;
        Object rawAlphabet = map.get("alphabet");
        if (rawAlphabet != null) {
            if (!(rawAlphabet instanceof CharSequence)) {
                throw new PolicyException(where + ": password.alphabet must be " + Alphabet.ALLOWED + ", found a "
                        + describeType(rawAlphabet) + " " + rawAlphabet + " (quote literal characters)");
            }
            alphabet = Alphabet.parse(rawAlphabet.toString(), where);
        }
        return new RandomCharacters(length, alphabet);
    }

    private static String describeType(Object value) {
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Iterable<?> || value.getClass().isArray()) {
            return "list";
        }
        return value.getClass().getSimpleName();
    }

    /**
     * {@code length} characters drawn uniformly and independently from {@code alphabet}.
     *
     * @param length the number of characters (code points), {@value #MIN_LENGTH}..{@value #MAX_LENGTH}
     *     when read from a definition, at least 1 when built in code
     * @param alphabet the characters to draw from
     */
    record RandomCharacters(int length, Alphabet alphabet) implements SecretPolicy {

        /** Checks the length and that an alphabet is given. */
        public RandomCharacters {
            if (length < 1 || length > MAX_LENGTH) {
                throw new IllegalArgumentException("length must be 1.." + MAX_LENGTH + ", was " + length);
            }
            Objects.requireNonNull(alphabet, "alphabet");
        }

        @Override
        public Secret generate(SecureRandom random) {
            int[] codePoints = alphabet.codePoints();
            StringBuilder value = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                value.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            return Secret.of(value.toString());
        }
    }

    /** A random (version 4) UUID in its usual 36-character form, as the original tool generated. */
    record RandomUuid() implements SecretPolicy {

        @Override
        public Secret generate(SecureRandom random) {
            return Secret.of(UUID.randomUUID().toString());
        }
    }
}

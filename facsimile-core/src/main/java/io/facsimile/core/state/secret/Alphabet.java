package io.facsimile.core.state.secret;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The characters a random secret is drawn from: one of the named alphabets ({@code alnum}, {@code hex},
 * {@code base64url}) or a literal set of at least two distinct, printable, non-blank characters.
 *
 * @param name how the alphabet is called in a definition: its name, or the literal characters
 * @param characters the characters, each once
 */
public record Alphabet(String name, String characters) {

    /** {@code A-Z a-z 0-9}: the default, safe in every configuration format and shell. */
    public static final Alphabet ALNUM =
            new Alphabet("alnum", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    /** {@code 0-9 a-f}. */
    public static final Alphabet HEX = new Alphabet("hex", "0123456789abcdef");

    /** {@code A-Z a-z 0-9 - _}: the URL- and file-name-safe Base64 alphabet (RFC 4648 §5). */
    public static final Alphabet BASE64URL =
            new Alphabet("base64url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /** What {@link #parse} accepts, for error messages. */
    static final String ALLOWED = "alnum, hex, base64url, or a string of at least 2 distinct literal characters";

    /** Checks that the characters are usable; see {@link #parse(String, String)} for the rules. */
    public Alphabet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(characters, "characters");
        String problem = problemWith(characters);
        if (problem != null) {
            throw new IllegalArgumentException("alphabet \"" + characters + "\" " + problem);
        }
    }

    /**
     * Reads an alphabet as written in a definition: a name ({@code alnum}, {@code hex},
     * {@code base64url}, case-insensitive) or the literal characters. Names win: a literal alphabet
     * {@code "hex"} cannot be written.
     *
     * @param spec the value of {@code alphabet}
     * @param where what to prefix an error with (file and key), e.g. {@code modules.yaml: module api}
     * @throws PolicyException (a user error) when the characters are fewer than 2, repeat, or contain
     *     white space or control characters
     */
    public static Alphabet parse(String spec, String where) {
        switch (spec.toLowerCase(Locale.ROOT)) {
            case "alnum":
                return ALNUM;
            case "hex":
                return HEX;
            case "base64url":
                return BASE64URL;
            default:
                String problem = problemWith(spec);
                if (problem != null) {
                    throw new PolicyException(
                            where + ": password.alphabet \"" + spec + "\" " + problem + "; allowed: " + ALLOWED);
                }
                return new Alphabet(spec, spec);
        }
    }

    /** The characters as code points, so that literal alphabets outside the BMP work too. */
    int[] codePoints() {
        return characters.codePoints().toArray();
    }

    private static String problemWith(String characters) {
        Set<Integer> seen = new HashSet<>();
        for (int cp : characters.codePoints().toArray()) {
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp)) {
                return "contains white space or a control character (U+" + String.format(Locale.ROOT, "%04X", cp)
                        + "), which breaks configuration files";
            }
            if (!seen.add(cp)) {
                return "repeats '" + new String(Character.toChars(cp)) + "' (a repeated character would be"
                        + " drawn more often than the others)";
            }
        }
        if (seen.size() < 2) {
            return "has fewer than 2 characters";
        }
        return null;
    }
}

package io.facsimile.core.release;

/**
 * The one rule for relative names that end up in a manifest or an archive: {@code /} separated, not
 * absolute, no empty, {@code .} or {@code ..} segment, no {@code \} (a Windows extractor would take
 * it for a separator, so {@code ..\..\x} would escape) and no control characters. Names the render makes
 * are held to more ({@link #isHidden}); a name read back from a node or an older manifest only to this.
 */
public final class EntryNames {

    private EntryNames() {}

    /** {@code null} when the name is safe, otherwise why it is not, ready to follow the quoted name. */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.startsWith("/")
                || (name.length() > 1 && Character.isLetter(name.charAt(0)) && name.charAt(1) == ':')) {
            return "is absolute";
        }
        if (name.indexOf('\\') >= 0) {
            return "contains a backslash";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "contains a control character";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "has an empty, '.' or '..' segment";
            }
        }
        return null;
    }

    /**
     * Whether {@code c} is a control character, a line or paragraph separator (U+2028, U+2029) or a
     * bidirectional control (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069): characters that a
     * terminal does not show as themselves, which make a name in a log or a review read as another ("Trojan
     * Source"). The render refuses a file name holding one.
     */
    public static boolean isHidden(int c) {
        return Character.isISOControl(c)
                || c == 0x2028
                || c == 0x2029
                || c == 0x061C
                || c == 0x200E
                || c == 0x200F
                || c >= 0x202A && c <= 0x202E
                || c >= 0x2066 && c <= 0x2069;
    }
}

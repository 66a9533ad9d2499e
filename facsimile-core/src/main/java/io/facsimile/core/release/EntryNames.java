package io.facsimile.core.release;

/**
 * The one rule for relative names that end up in a manifest or an archive: {@code /} separated, not
 * absolute, no empty, {@code .} or {@code ..} segment, no {@code \} (a Windows extractor would take
 * it for a separator, so {@code ..\..\x} would escape) and no control characters.
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
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "contains a control character";
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "has an empty, '.' or '..' segment";
            }
        }
        return null;
    }
}

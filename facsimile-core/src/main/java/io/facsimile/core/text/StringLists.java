package io.facsimile.core.text;

import java.util.ArrayList;
import java.util.List;

/** A definition value that may be written as one string or as a list of strings. */
public final class StringLists {

    private StringLists() {}

    /** The error for a value of the wrong type, made by the reader that knows where the value stands. */
    @FunctionalInterface
    public interface Complaint {
        /**
         * @param index the position of the element that is not a string, or -1 when the value itself is
         *     neither a string nor a list
         * @param found what was found there
         */
        RuntimeException about(int index, Object found);
    }

    /**
     * The strings of {@code value}: none when it is {@code null}, itself when it is a string, its elements
     * when it is a list of strings.
     *
     * @throws RuntimeException the one {@code wrong} makes for the first value of another type
     */
    public static List<String> of(Object value, Complaint wrong) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        if (!(value instanceof List<?> list)) {
            throw wrong.about(-1, value);
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw wrong.about(i, list.get(i));
            }
            strings.add(s);
        }
        return strings;
    }
}

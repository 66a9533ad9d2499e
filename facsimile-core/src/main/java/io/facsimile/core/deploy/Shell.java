package io.facsimile.core.deploy;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Quoting for the POSIX shell that runs commands on a node (over SSH, and the guard's scripts). */
public final class Shell {

    private Shell() {}

    /**
     * One word for {@code sh}: the value in single quotes, each single quote written as {@code '\''}.
     * Inside single quotes {@code sh} interprets nothing ({@code $}, {@code `}, {@code \}, spaces,
     * newlines), so any string survives, including an empty one.
     */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot hold a NUL character");
        }
        if (!value.isEmpty() && value.chars().allMatch(Shell::safe)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A command line of quoted words. */
    static String command(String... words) {
        return Stream.of(words).map(Shell::quote).collect(Collectors.joining(" "));
    }

    private static boolean safe(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "_-./=:@%+,".indexOf(c) >= 0;
    }
}

package io.facsimile.core.deploy;

import io.facsimile.core.release.FileMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The listing GNU find gives of a directory, {@code find -P <dir> -mindepth 1 -printf '%y %m %s %T@ %i %P\0'}:
 * every entry below it, links listed and never entered, one NUL-terminated record each with the name last,
 * so that a name may hold spaces and newlines. The node's own program for the quick check, over SSH and
 * locally.
 */
public final class FindListing {

    /** The {@code -printf} format, as find reads it (its own {@code \0} escape). */
    public static final String FORMAT = "%y %m %s %T@ %i %P\\0";

    /** The listing of the working directory: {@code find} with {@link #FORMAT}. */
    public static final String COMMAND = command("");

    private FindListing() {}

    /** The listing of the working directory, with {@code tests} (each with its leading space) before the print. */
    public static String command(String tests) {
        return "find -P . -mindepth 1" + tests + " -printf '" + FORMAT + "'";
    }

    /**
     * The entries of a listing, path → {@link FileStat}, the time as find prints it ({@code %T@}, seconds
     * with a fraction).
     */
    public static Map<String, FileStat> parse(String output) {
        return parse(output, false);
    }

    /**
     * As {@link #parse(String)}, with {@code nanos} the time in nanoseconds since the epoch instead, as
     * {@code java.nio} reads it: the local transport's listing is the same whether find or Java made it.
     *
     * @throws NumberFormatException when a record does not hold what the format prints
     */
    public static Map<String, FileStat> parse(String output, boolean nanos) {
        // By hand (indexOf, not split and String.format): 10,000 records are read on every deploy, in a
        // fresh JVM.
        Map<String, FileStat> entries = new TreeMap<>();
        int start = 0;
        while (start < output.length()) {
            int end = output.indexOf('\0', start);
            if (end < 0) {
                end = output.length();
            }
            int[] at = new int[5];
            int from = start;
            int fields = 0;
            while (fields < 5) {
                int space = output.indexOf(' ', from);
                if (space < 0 || space >= end) {
                    break;
                }
                at[fields++] = space;
                from = space + 1;
            }
            if (fields == 5) {
                String y = output.substring(start, at[0]);
                String type = y.equals("f") || y.equals("d") || y.equals("l") ? y : "o";
                String time = nanos ? nanos(output, at[2] + 1, at[3]) : output.substring(at[2] + 1, at[3]);
                entries.put(
                        output.substring(at[4] + 1, end),
                        new FileStat(
                                type,
                                new FileMode(Integer.parseInt(output, at[0] + 1, at[1], 8) & 07777).octal(),
                                Long.parseLong(output, at[1] + 1, at[2], 10),
                                time,
                                Long.parseLong(output, at[3] + 1, at[4], 10)));
            }
            start = end + 1;
        }
        return entries;
    }

    /**
     * The time {@code output} holds from {@code from} to {@code to}, {@code 1732976000.1234567890} →
     * {@code 1732976000123456789}: read in place, without a string of each part, for 10,000 records.
     */
    private static String nanos(String output, int from, int to) {
        int dot = output.indexOf('.', from);
        if (dot < 0 || dot >= to) {
            dot = to;
        }
        long seconds = Long.parseLong(output, from, dot, 10);
        if (seconds < 0 && dot + 1 < to) {
            // the caller lists in Java instead
            throw new NumberFormatException("a time before 1970: " + output.substring(from, to));
        }
        long fraction = 0;
        int digits = 0;
        for (int i = dot + 1; i < to && digits < 9; i++, digits++) {
            char c = output.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a time: " + output.substring(from, to));
            }
            fraction = fraction * 10 + (c - '0');
        }
        for (; digits < 9; digits++) {
            fraction *= 10;
        }
        return Long.toString(seconds * 1_000_000_000L + fraction);
    }
}

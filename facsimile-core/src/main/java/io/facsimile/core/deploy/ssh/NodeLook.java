package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.Layout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy reads first on a node, asked by the lock's own program once the lock is held instead of by
 * an SFTP session and a command of their own: whether {@code .facsimile}, {@code releases} and {@code current}
 * are directories, links or absent, where {@code current} points, and, when that is a release directory
 * {@code releases/<id>}, the answer of its {@link ListingDigest} ({@link ListingDigest#SAME}, or its listing).
 * An unchanged redeploy then costs one program on the node.
 *
 * <p>It holds only while nothing has changed these paths: {@link SshTransport} drops it at the first
 * command it runs and at the first change it makes at one of them, below the release looked at, or above.
 *
 * @param types each path looked at (absolute) → {@code d} a directory, {@code l} a link, {@code f} something
 *     else, {@code -} absent
 * @param current where {@code current} points, when it is a link
 * @param release the release directory whose listing was asked (absolute), or {@code null}
 * @param answer what {@link ListingDigest#command} printed there, or {@code null} when it was not asked or failed
 * @param unconfirmed whether {@code .facsimile} (a directory, no link) holds the token of a switch that no deploy
 *     confirmed ({@code guard-<token>.armed}, a regular file): a deploy that ended during its postcmd or health
 *     check left it, and its watchdog has not fired yet
 */
record NodeLook(
        Map<String, Character> types, Optional<String> current, String release, String answer, boolean unconfirmed) {

    private static final String END = "\0\nLOOKED\n";
    private static final String DIGESTED = "\0\nDIGESTED ";

    /**
     * The commands, for {@link io.facsimile.core.deploy.HomeLock#command(String, String, Duration, String)}
     * (run in the home), that print the look. Its parts: {@code LOOK} and the three types; {@code LINK} and
     * the target, NUL-ended (a name may hold newlines); {@code ARMED} when a switch is unconfirmed (see
     * {@link #unconfirmed}); {@code RELEASE} and the type of {@code releases/<id>};
     * {@code DIGEST}, the digest's answer and its exit status; and an end that nothing before it can hold: a
     * listing's records each start with a letter after their NUL.
     */
    static String command() {
        String type = "t() { if [ -L \"$1\" ]; then printf l; elif [ -d \"$1\" ]; then printf d; "
                + "elif [ -e \"$1\" ]; then printf f; else printf -; fi; }; ";
        return "{ " + type + "printf 'LOOK '; t " + Layout.META_DIR + "; t " + Layout.RELEASES + "; t " + Layout.CURRENT
                + "; echo; "
                + "if [ -d " + Layout.META_DIR + " ] && [ ! -L " + Layout.META_DIR + " ]; then for a in "
                + Layout.META_DIR + "/guard-*.armed; do if [ -f \"$a\" ] && [ ! -L \"$a\" ]; then echo ARMED; break;"
                + " fi; done; fi; "
                // x keeps the newlines a target may end with
                + "if [ -L " + Layout.CURRENT + " ] && l=$(readlink -n -- " + Layout.CURRENT + " && echo x) "
                + "&& l=${l%x}; then printf 'LINK %s\\0' \"$l\"; case $l in "
                + Layout.RELEASES + "/*/*|" + Layout.RELEASES + "/|" + Layout.RELEASES + "/.|" + Layout.RELEASES
                + "/..) ;; " + Layout.RELEASES + "/*) printf 'RELEASE '; t \"$l\"; echo; "
                + "if [ -d " + Layout.RELEASES + " ] && [ ! -L " + Layout.RELEASES + " ] && [ -d \"$l\" ] "
                + "&& [ ! -L \"$l\" ]; then echo DIGEST; (cd -P -- \"$l\" && "
                + ListingDigest.commandFor("\"${l#" + Layout.RELEASES + "/}\"") + "); printf '"
                + DIGESTED.replace("\0", "\\0").replace("\n", "\\n") + "%d\\n' $?; fi;; esac; fi; "
                + "printf '" + END.replace("\0", "\\0").replace("\n", "\\n") + "'; } 2>/dev/null; ";
    }

    /**
     * The look at the {@link #command} of {@code in}, read up to its end: nothing follows it on the output, the
     * program then waits for its input to close. Empty when what was printed is no look (something else
     * wrote to the output): the deploy then reads all it needs from the node.
     *
     * @throws IOException when the output ends, or stays silent past its bound, before the look's end
     */
    static Optional<NodeLook> read(InputStream in, String home) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        byte[] end = END.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        // checked at the end of each read, not byte by byte: a listing of 10,000 records is a megabyte
        while (!(n >= end.length
                ? Arrays.equals(buffer, n - end.length, n, end, 0, end.length)
                : bytes.size() >= end.length && endsWith(bytes.toByteArray(), end))) {
            n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the node's answer ended before its look did");
            }
            bytes.write(buffer, 0, n);
        }
        try {
            return Optional.of(parse(bytes.toString(StandardCharsets.UTF_8), home));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean endsWith(byte[] all, byte[] end) {
        return Arrays.equals(all, all.length - end.length, all.length, end, 0, end.length);
    }

    /** Reads the printed look (ending with its end) of the home {@code home}. */
    static NodeLook parse(String out, String home) throws IOException {
        if (!out.startsWith("LOOK ") || out.length() < 9 || out.charAt(8) != '\n' || !out.endsWith(END)) {
            throw new IOException("not a look at the home: " + out.substring(0, Math.min(out.length(), 80)));
        }
        Map<String, Character> types = new HashMap<>();
        types.put(home + "/" + Layout.META_DIR, out.charAt(5));
        types.put(home + "/" + Layout.RELEASES, out.charAt(6));
        types.put(home + "/" + Layout.CURRENT, out.charAt(7));
        int at = 9;
        boolean unconfirmed = out.startsWith("ARMED\n", at);
        if (unconfirmed) {
            at += "ARMED\n".length();
        }
        Optional<String> current = Optional.empty();
        String release = null;
        String answer = null;
        if (out.startsWith("LINK ", at)) {
            int nul = out.indexOf('\0', at);
            current = Optional.of(out.substring(at + 5, nul));
            at = nul + 1;
        }
        if (current.isEmpty() && out.charAt(7) == 'l') {
            // a link whose target could not be read (changed meanwhile): asked of the node when needed
            types.remove(home + "/" + Layout.CURRENT);
        }
        if (out.startsWith("RELEASE ", at)) {
            release = home + "/" + current.orElseThrow(() -> new IOException("a release looked at without a link"));
            types.put(release, out.charAt(at + 8));
            at += 10;
        }
        if (out.startsWith("DIGEST\n", at)) {
            int digested = out.indexOf(DIGESTED, at);
            int newline = out.indexOf('\n', digested + DIGESTED.length());
            if (digested < 0 || newline < 0) {
                throw new IOException("a look whose digest has no end");
            }
            if (out.substring(digested + DIGESTED.length(), newline).equals("0")) {
                answer = out.substring(at + "DIGEST\n".length(), digested);
            }
            at = newline + 1;
        }
        if (at != out.length() - END.length()) {
            throw new IOException("a look with more than it should hold");
        }
        return new NodeLook(Map.copyOf(types), current, release, answer, unconfirmed);
    }

    /** Whether a change at {@code abs} reaches what was seen: a path looked at, one above it, or one below the release. */
    boolean touchedBy(String abs) {
        for (String path : types.keySet()) {
            if (path.equals(abs) || path.startsWith(abs + "/")) {
                return true;
            }
        }
        return release != null && abs.startsWith(release + "/");
    }
}

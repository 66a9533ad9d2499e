package io.facsimile.core.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The one deploy lock of a home, taken the same way by the local and the SSH transport: {@code flock(2)}
 * on {@code home/.facsimile-deploy.lock}, through util-linux {@code flock} in a shell that then holds
 * it with a {@code cat} waiting for its input to close. Locally that shell is a child process of the
 * build, over SSH it runs on the node; either way a local and a remote deploy of one directory exclude
 * each other, and the kernel drops the lock when the holder (or its connection) dies.
 *
 * <p>The lock file is opened only when it is not a link (checked before and, against the open
 * descriptor, after opening) and not a FIFO or device, so a link planted at its place never makes the
 * deploy write outside the home. It is created by {@code link(2)} of a new file beside it (which never
 * follows a link) and opened read-only, so a link swapped in between the check and the open is neither
 * created nor written through; the opened file must be a regular file with one name (not a hard link to a
 * file elsewhere), and is then opened again for writing through its descriptor, as {@code flock(2)} on NFS
 * needs. The holder is written into the locked file itself, through the descriptor checked.
 */
public final class HomeLock {

    /** Exit status of the lock command when another deploy holds the lock after the wait. */
    static final int BUSY = 75;
    /** Exit status of the lock command when the lock file is a link or not a regular file. */
    static final int REFUSED = 76;

    /** How often a deploy waiting for the lock says who holds it. */
    public static final Duration PROGRESS = Duration.ofSeconds(10);

    private HomeLock() {}

    /**
     * The {@code sh} command that takes the lock of {@code home} (a quoted shell word), waiting at most
     * {@code wait}, prints {@code LOCKED} and holds it until its input is closed. While another deploy
     * holds the lock it prints {@code WAITING <holder>} at once and then every {@link #PROGRESS}.
     *
     * @param quotedHome the home, already quoted for {@code sh}
     * @param quotedHolder the holder line, already quoted for {@code sh}
     */
    public static String command(String quotedHome, String quotedHolder, Duration wait) {
        return command(quotedHome, quotedHolder, wait, "");
    }

    /**
     * As {@link #command(String, String, Duration)}, running {@code then} (commands each ending in {@code ;},
     * or nothing) in the home right after {@code LOCKED}, the lock held, before it waits for its input to
     * close: what a deploy reads first, asked in the same program.
     */
    public static String command(String quotedHome, String quotedHolder, Duration wait, String then) {
        // The holder is read through the open descriptor: the name may have been swapped for a link since.
        String holder = "head -c 300 /proc/$$/fd/9 | tr '\\n' ' '";
        return "command -v flock >/dev/null || { echo 'flock: not found'; exit 127; }; { [ -d " + quotedHome
                + " ] || mkdir -p -- " + quotedHome + "; } && cd -P -- " + quotedHome + " || exit 1; f="
                + Layout.LOCK_FILE + "; "
                + "if [ -L \"$f\" ] || { [ -e \"$f\" ] && [ ! -f \"$f\" ]; }; then echo REFUSED; exit " + REFUSED
                + "; fi; "
                // made only by link(2), which never follows a link: a new file beside it, linked to the name
                + "[ -e \"$f\" ] || { t=$(mktemp \"$f.XXXXXX\") && chmod 644 \"$t\" && { ln -- \"$t\" \"$f\" 2>/dev/null;"
                + " rm -f -- \"$t\"; }; }; "
                // opened read-only (no O_CREAT): a link swapped in since the check is never created or written
                // through; what was opened must be the name's one regular file (a hard link to a file elsewhere
                // has two names)
                + "exec 9<\"$f\" || exit 1; "
                + "if [ -L \"$f\" ] || ! [ -f /proc/$$/fd/9 ] || ! [ \"$f\" -ef /proc/$$/fd/9 ]"
                + " || [ \"$(stat -Lc %h /proc/$$/fd/9)\" != 1 ]; then echo REFUSED; exit " + REFUSED + "; fi; "
                // the file checked, opened again for writing through its descriptor: flock(2) on NFS takes an
                // exclusive lock only on a descriptor open for writing
                + "exec 9<>/proc/$$/fd/9 || exit 1; "
                // the holder is written through the descriptor checked above
                + "locked() { printf '%s\\n' " + quotedHolder
                + " > /proc/$$/fd/9 && echo LOCKED && { " + then + " exec cat >/dev/null; }; exit 1; }; "
                + "flock -n 9 && locked; left=" + wait.toMillis() + "; "
                + "while [ \"$left\" -gt 0 ]; do echo \"WAITING $(" + holder + ")\"; "
                + "step=" + PROGRESS.toMillis() + "; [ \"$left\" -lt \"$step\" ] && step=$left; "
                + "flock -w $((step / 1000)).$(printf %03d $((step % 1000))) 9 && locked; left=$((left - step)); done; "
                + "echo BUSY; " + holder + "; exit " + BUSY;
    }

    /** Who takes the lock: the user, this process, this host and the time. */
    public static String holder(String user) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return user + " (pid " + ProcessHandle.current().pid() + " on " + host + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
    }

    /**
     * Reads the answer of {@link #command}: returns when the lock is held (what the command prints after
     * {@code LOCKED} is left in {@code output}), throws otherwise.
     *
     * @param output what the command prints
     * @param errors what it printed on its standard error, when that is kept apart from {@code output} (for
     *     the message of a lock command that failed); empty when it goes into {@code output}
     * @param exitStatus the command's exit status, called once it has ended
     * @param home the home as the message names it
     * @param node the node's name
     * @param waiting told who holds the lock, at once and every {@link #PROGRESS} while this deploy waits
     * @throws DeployException a user error when another deploy holds the lock or the lock file is a
     *     link, a broken run when the command failed otherwise
     */
    public static void await(
            InputStream output,
            Supplier<String> errors,
            IntSupplier exitStatus,
            String home,
            String node,
            Duration wait,
            Consumer<String> waiting)
            throws IOException {
        // Lines other than the command's own words come before them when the node's shell writes as it starts
        // (a .bashrc warning on standard error): kept for the message, never taken for the answer.
        StringBuilder other = new StringBuilder();
        String first = readLine(output);
        for (; first != null; first = readLine(output)) {
            if (first.startsWith("WAITING ")) {
                String holder = first.substring("WAITING ".length()).strip();
                waiting.accept(holder.isEmpty() ? "another deploy" : holder);
            } else if (first.equals("LOCKED")) {
                return;
            } else if (first.equals("BUSY") || first.equals("REFUSED")) {
                break;
            } else {
                other.append(first).append('\n');
            }
        }
        StringBuilder rest = new StringBuilder();
        for (String line = readLine(output); line != null; line = readLine(output)) {
            rest.append(line).append('\n');
        }
        int status = exitStatus.getAsInt();
        if ("BUSY".equals(first) && status == BUSY) {
            String who = rest.toString().isBlank()
                    ? "another deploy"
                    : rest.toString().strip();
            throw DeployException.refused("the deploy home " + home + " is locked by " + who + "; waited "
                    + wait.toSeconds() + " s. Let that deploy finish and run again");
        }
        if ("REFUSED".equals(first) && status == REFUSED) {
            throw DeployException.refused(home + "/" + Layout.LOCK_FILE + " on " + node + " is a link or not a regular "
                    + "file; Facsimile never follows a link it did not create. Remove it and run again");
        }
        throw DeployException.broken(
                "cannot lock " + home + "/" + Layout.LOCK_FILE + " on " + node + ": exit " + status
                        + ": " + (other + (first == null ? "" : first + "\n") + rest + errors.get()).strip()
                        + " (the node needs flock from util-linux)",
                null);
    }

    /**
     * One line of {@code in} without its newline, or {@code null} at its end: read byte by byte, so that what
     * follows {@code LOCKED} is left in the stream for the caller.
     */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        for (; b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}

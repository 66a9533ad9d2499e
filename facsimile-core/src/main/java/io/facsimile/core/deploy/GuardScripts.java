package io.facsimile.core.deploy;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code sh} text the guard runs on a node, all with the home as working directory and every
 * file below {@code home/.facsimile/}. {@code base} names this run's files there
 * ({@code .facsimile/guard-<token>}): {@code .sh} the watchdog, {@code .armed} the token whose removal
 * confirms the switch, {@code .pgid} the process group of the command running now, {@code .pid} the
 * watchdog's process.
 */
public final class GuardScripts {

    private GuardScripts() {}

    /** Whether {@code name}, an entry of {@code .facsimile}, is the token of an unconfirmed switch. */
    static boolean isToken(String name) {
        return name.startsWith("guard-") && name.endsWith(".armed");
    }

    /**
     * Fires, at once, the watchdog of every switch that no deploy confirmed ({@link Transport#hasUnconfirmedSwitch}):
     * run by a deploy or a rollback that holds the lock, before it reads {@code current}, as the watchdog
     * itself would once the lock is free. Each switches back when {@code current} still names its release,
     * logs {@code reverted} and kills what its deploy left running. Prints {@code UNCONFIRMED <release>} for
     * each, and {@code STUCK <token file>} for a token whose watchdog script is missing or a link (the token
     * stays, and the caller refuses to go on). Tokens and scripts that are links are never followed.
     */
    static String fireUnconfirmed(String who) {
        return "for a in " + Layout.META_DIR + "/guard-*.armed; do [ -f \"$a\" ] && [ ! -L \"$a\" ] || continue; "
                + "t=${a%.armed}; if [ -f \"$t.sh\" ] && [ ! -L \"$t.sh\" ]; then "
                + "printf 'UNCONFIRMED %s\\n' \"$(head -n 1 -- \"$a\")\"; sh \"$t.sh\" now " + DeployLogEntry.REVERTED
                + " "
                + Shell.quote(who) + " </dev/null >/dev/null 2>&1; else printf 'STUCK %s\\n' \"$a\"; fi; done; true";
    }

    /**
     * Prints {@code UNCONFIRMED <release>} for each token of an unconfirmed switch, as {@link #fireUnconfirmed}
     * would fire it, and changes nothing: for a dry run. Tokens that are links or no regular files are skipped,
     * and at most the first 300 bytes of a token's first line are read.
     */
    static String unconfirmedReleases() {
        return "for a in " + Layout.META_DIR + "/guard-*.armed; do [ -f \"$a\" ] && [ ! -L \"$a\" ] || continue; "
                + "printf 'UNCONFIRMED %s\\n' \"$(head -c 300 -- \"$a\" | head -n 1)\"; done; true";
    }

    /**
     * A shell test that the process group id in variable {@code var} is one to signal: digits, and above 1
     * ({@code kill -- -1} would signal every process of the user).
     */
    private static String isGroup(String var) {
        return "case \"$" + var + "\" in ''|*[!0-9]*|0|1) false;; *) true;; esac";
    }

    /** Stops the watchdog whose pid is in {@code $t.pid} (a file, no link), with its process group. */
    private static String stopWatchdog() {
        return "[ -f \"$t.pid\" ] && [ ! -L \"$t.pid\" ] && w=$(cat -- \"$t.pid\") && " + isGroup("w") + " && "
                + terminate("w", false);
    }

    /**
     * Sends TERM to the process group whose id is in {@code $var} and, with {@code thenKill}, KILL a second
     * later to what is left. Where there is no such group (a node without {@code setsid}, macOS: the command
     * then leads no group of its own), the process and its descendants (found with {@code ps}) are signalled
     * instead, all found before the first signal (only there: with {@code setsid}, a group that is gone means
     * the command ended, and its pid may be another process's by now).
     */
    private static String terminate(String var, boolean thenKill) {
        String tree = "k=$(ps -A -o pid= -o ppid= 2>/dev/null | awk -v r=\"$" + var + "\" "
                + "'{ kid[$2] = kid[$2] \" \" $1 } END { out = r; todo = r; while (todo != \"\") { "
                + "n = split(todo, a, \" \"); todo = \"\"; for (i = 1; i <= n; i++) { m = split(kid[a[i]], c, \" \"); "
                + "for (j = 1; j <= m; j++) { out = out \" \" c[j]; todo = todo \" \" c[j] } } } print out }')";
        return "if kill -s TERM -- -\"$" + var + "\" 2>/dev/null; then "
                + (thenKill ? "sleep 1; kill -s KILL -- -\"$" + var + "\" 2>/dev/null; " : "true; ")
                // only where setsid is missing: elsewhere a group that is gone means the command ended, and
                // its pid may be another process's by now
                + "elif ! command -v setsid >/dev/null 2>&1; then " + tree + "; kill -s TERM $k 2>/dev/null; "
                + (thenKill ? "sleep 1; kill -s KILL $k 2>/dev/null; " : "")
                + "fi";
    }

    /** A shell test that {@code path} (a quoted word) is no link and a regular file or absent: a log to append to. */
    private static String appendable(String path) {
        return "[ ! -L " + path + " ] && { [ ! -e " + path + " ] || [ -f " + path + " ]; }";
    }

    /**
     * Runs {@code command} in {@code dir} (relative to the home) in a session and process group of its
     * own, whose id goes to {@code base.pgid}, so that {@link #kill} ends it with all its children.
     * Standard input is {@code /dev/null}; the exit status is the command's.
     */
    public static String timed(String base, String dir, String command) {
        return "s=; command -v setsid >/dev/null 2>&1 && s=setsid; "
                + "$s sh -c '[ -L \"$1\" ] && exit 126; echo $$ > \"$1\"; cd -- \"$2\" && exec sh -c \"$3\"' facsimile "
                + Shell.quote(base + ".pgid")
                + " " + Shell.quote(dir.isEmpty() ? "." : dir) + " " + Shell.quote(command) + " </dev/null & wait $!; "
                // the group's id is stale once the command ended: nothing may signal it later
                + "r=$?; rm -f -- " + Shell.quote(base + ".pgid") + "; exit $r";
    }

    /**
     * Ends the process group in {@code base.pgid}: TERM, and KILL a second later for what is left (without
     * {@code setsid}, the process and its descendants instead).
     */
    public static String kill(String base) {
        return "f=" + Shell.quote(base + ".pgid") + "; [ -f \"$f\" ] && [ ! -L \"$f\" ] && p=$(cat -- \"$f\") && "
                + isGroup("p") + " && { " + terminate("p", true) + "; }; "
                + "rm -f -- \"$f\"; true";
    }

    /**
     * The watchdog of one switch. Run detached, it waits {@code confirm}, then for the deploy lock (so
     * that a live deploy, which holds it, is never overtaken), and unless the token is gone by then it
     * switches {@code current} back to {@code previous} (or removes it when there was none) as the
     * deploy does (a new link renamed over the old one), appends a line to the deploy log, and kills
     * the command the deploy started. Run as {@code sh script now OUTCOME WHO [LINE]} it does the same at once
     * without waiting for the lock: the deploy, which holds it, calls it so on an interrupt, and to switch
     * back itself, handing over its own log line. It prints {@link #FIRED} once it holds the token,
     * {@link #BACK} once it has switched back and {@link #LOGGED} once it has logged; when the switch back
     * fails it gives the token back, prints {@link #NOT_BACK} and exits {@link #NOT_SWITCHED}. Whoever
     * renames the token first wins, so the switch back happens at most once and never after a confirm.
     */
    public static String watchdog(
            String base,
            String release,
            String hash,
            Optional<String> previous,
            Duration confirm,
            String lockFile,
            String log) {
        String current = "releases/" + release;
        String back = previous.map(
                        p -> "ln -s " + Shell.quote("releases/" + p) + " \"$t.link\" && " + overCurrent("\"$t.link\""))
                .orElse("rm -f -- current");
        return String.join(
                "\n",
                "#!/bin/sh",
                "# Facsimile watchdog: switches current back from " + release + " unless the deploy confirms it.",
                "t=" + Shell.quote(base),
                "if [ \"$1\" != now ]; then",
                "  sleep " + Durations.seconds(confirm),
                "  l=" + Shell.quote(lockFile),
                "  if command -v flock >/dev/null 2>&1 && [ -f \"$l\" ] && [ ! -L \"$l\" ]; then",
                // read-only: a link swapped in since the check is never created or written through; then
                // for writing through the descriptor, as flock(2) on NFS needs
                "    exec 9<\"$l\" && exec 9<>/proc/$$/fd/9 && flock 9",
                "  fi",
                "fi",
                "outcome=${2:-reverted}; who=${3:-watchdog}",
                "mv -f -- \"$t.armed\" \"$t.firing\" 2>/dev/null || { rm -f -- \"$t.pid\" \"$t.sh\"; exit 0; }",
                "echo " + FIRED,
                "if [ \"$(readlink current)\" = " + Shell.quote(current) + " ]; then",
                // a switch back that fails (no space, no inodes) gives the token back, for the watchdog still
                // waiting in the background (or the next deploy) to try again
                "  " + back + " || { rm -f -- \"$t.link\"; mv -f -- \"$t.firing\" \"$t.armed\"; echo " + NOT_BACK
                        + "; exit " + NOT_SWITCHED + "; }",
                "  echo " + BACK,
                "  when=$(date -u +%Y-%m-%dT%H:%M:%SZ); g=" + Shell.quote(log),
                // the log is appended to only when it is no link and a regular file (or absent), as confirm does
                "  if " + appendable("\"$g\"") + "; then",
                // the deploy that switches back itself hands over its own line
                "    if [ -n \"$4\" ]; then printf '%s\\n' \"$4\" >> \"$g\"; else",
                "    printf '{\"release\":\"%s\",\"outcome\":\"%s\",\"who\":\"%s\",\"when\":\"%s\",\"hash\":\"%s\","
                        + "\"strategy\":\"releases\"}\\n' " + Shell.quote(release) + " \"$outcome\" \"$who\" \"$when\" "
                        + Shell.quote(hash) + " >> \"$g\"; fi && echo " + LOGGED,
                "  fi",
                "fi",
                // fired at once: the watchdog waiting in the background has nothing left to do
                "if [ \"$1\" = now ]; then " + stopWatchdog() + "; fi",
                kill(base),
                "rm -f -- \"$t.firing\" \"$t.pid\" \"$t.sh\"",
                "");
    }

    /** Starts the watchdog detached (its own session, no terminal, output discarded) and records its pid. */
    public static String start(String base) {
        String script = Shell.quote(base + ".sh");
        return "s=; command -v setsid >/dev/null 2>&1 && s=setsid; " + "nohup $s sh " + script
                + " </dev/null >/dev/null 2>&1 & echo $! > " + Shell.quote(base + ".pid");
    }

    /**
     * Starts the watchdog ({@link #start}) and, once it runs, switches {@code current} to {@code release}
     * as {@link NodeRun#switchCurrent} does (a new link beside it renamed over it, so a reader always finds
     * one): one command on the node for both. Exits 1 when the watchdog did not start (nothing is
     * switched), {@link #NOT_SWITCHED} when it runs but the switch failed.
     */
    public static String startAndSwitch(String base, String release) {
        return "{ " + start(base) + "; } || exit 1; "
                + switchTo(Layout.CURRENT + ".tmp-" + java.util.UUID.randomUUID(), Layout.linkTarget(release));
    }

    /**
     * Switches {@code current} to {@code target} by renaming a new link {@code link} over it, and appends
     * {@code line} (with its newline) to the deploy log {@code log} as {@link #confirm(String, String,
     * String)} does, printing {@code LOGGED}: the switch of a deploy with nothing to confirm after it.
     * Exits {@link #NOT_SWITCHED} when {@code current} was not switched.
     */
    public static String switchAndLog(String link, String target, String log, String line) {
        return switchTo(link, target) + "; " + appendLog(log, line);
    }

    /** Renames a new link {@code link} to {@code target} over {@code current}; exits {@link #NOT_SWITCHED} when it cannot. */
    private static String switchTo(String link, String target) {
        return "l=" + Shell.quote(link) + "; "
                + "if [ -e \"$l\" ] || [ -L \"$l\" ]; then echo \"something is in the way: $l\"; exit "
                + NOT_SWITCHED + "; fi; ln -s -- " + Shell.quote(target) + " \"$l\" || exit "
                + NOT_SWITCHED + "; " + overCurrent("\"$l\"") + " || { rm -f -- \"$l\"; exit " + NOT_SWITCHED + "; }";
    }

    /** Appends {@code line} to {@code log} and prints {@code LOGGED}, unless the log is a link or not a regular file. */
    private static String appendLog(String log, String line) {
        String l = Shell.quote(log);
        return "if " + appendable(l) + " && printf '%s\\n' " + Shell.quote(line) + " >> " + l
                + "; then echo LOGGED; fi; ";
    }

    /** What the watchdog script prints once it has taken the token: this run of it switches back. */
    static final String FIRED = "FIRED";
    /** What the watchdog script prints once it has switched {@code current} back. */
    static final String BACK = "BACK";
    /** What the watchdog script prints when the switch back failed: it gave the token back and exits 3. */
    static final String NOT_BACK = "NOT_BACK";
    /** What the watchdog script prints once it has switched back and appended its line to the deploy log. */
    static final String LOGGED = "LOGGED";

    /** Exit status of {@link #startAndSwitch} when the watchdog runs but {@code current} was not switched. */
    public static final int NOT_SWITCHED = 3;

    /** Renames the link {@code link} (a shell word) over {@code current}: rename(2), GNU {@code mv -T} or BSD {@code -h}. */
    private static String overCurrent(String link) {
        return "{ mv -T -f -- " + link + " current 2>/dev/null || mv -h -f " + link + " current; }";
    }

    /**
     * Confirms (or, before the deploy switches back itself, disarms): renames the token away, stops the
     * watchdog and removes its files. Prints {@code CONFIRMED} when the token was still there, nothing
     * when the watchdog or an interrupt had taken it.
     */
    public static String confirm(String base) {
        return confirm(base, "");
    }

    /**
     * Confirms like {@link #confirm(String)} and, when the token was still there, appends {@code line} to
     * the deploy log {@code log} in the same command, printing {@code LOGGED}; a log that is a link or
     * not a regular file is left alone (no {@code LOGGED}: the deploy then appends itself, and names it).
     */
    public static String confirm(String base, String log, String line) {
        return confirm(base, appendLog(log, line));
    }

    private static String confirm(String base, String andThen) {
        String t = Shell.quote(base);
        return "t=" + t + "; if mv -f -- \"$t.armed\" \"$t.done\" 2>/dev/null; then echo CONFIRMED; " + andThen
                + stopWatchdog() + "; "
                + "rm -f -- \"$t.done\" \"$t.pid\" \"$t.sh\" \"$t.pgid\"; fi; true";
    }
}

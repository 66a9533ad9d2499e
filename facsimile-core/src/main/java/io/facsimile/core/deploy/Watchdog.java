package io.facsimile.core.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The self-reverting switch of one node (deploy-rs's "magic rollback"), for a deploy with a postcmd
 * or a health check after its switch (without either nothing is left to confirm, and the switch and its
 * log line end the deploy). Before {@code current} is switched the node starts a detached {@code sh}
 * ({@link GuardScripts#watchdog}) that switches back unless the deploy confirms within
 * {@code timeouts.confirm}; it waits for the deploy lock before it acts, so a deploy that is alive is
 * never overtaken. The deploy confirms only after postcmd and the health check pass. A build killed after the switch (kill -9, power) or a lost connection so leaves
 * the node on its earlier release, with a {@code reverted} line in its deploy log.
 *
 * <p>An interrupt (Ctrl-C: a JVM shutdown hook) runs the watchdog at once: it kills the command the
 * deploy started (its process group), switches back and logs {@code interrupted}; the hook then waits
 * a few seconds for the deploy's own thread to settle.
 */
final class Watchdog {

    /** The bound of the guard's own small commands (start, confirm, kill). */
    static final Duration QUICK = Duration.ofSeconds(30);
    /** How long an interrupt waits for the deploy's thread to finish switching back. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final NodeRun run;
    private final String base;
    private final CountDownLatch settled = new CountDownLatch(1);
    /** Counted down once the command that starts the watchdog and switches has answered (or failed). */
    private final CountDownLatch switchAnswered = new CountDownLatch(1);
    /** Whether that command's answer did not come within its bound: it may still switch. */
    private volatile boolean switchInDoubt;

    private final Thread hook;
    private volatile boolean interrupted;

    private Watchdog(NodeRun run) {
        this.run = run;
        this.base = run.guardBase;
        this.hook = new Thread(this::onInterrupt, "facsimile-interrupt-" + run.node.name());
    }

    /**
     * Starts the watchdog of a switch to {@code release} and switches {@code current} to it, in one
     * command on the node; {@code previous} is what the watchdog switches back to (none: it removes
     * {@code current}). An interrupt from here on is heard.
     *
     * @throws DeployException when the watchdog cannot be started (nothing is switched then), when
     *     {@code current} cannot be switched (the watchdog is stopped then), or when the command does not
     *     answer within {@link #QUICK} or ends otherwise, killed or cut off (the watchdog is left armed: the
     *     switch may have happened, or still happen)
     */
    static Watchdog armAndSwitch(
            NodeRun run, String release, String hash, Optional<String> previous, Duration confirm) {
        Transport t = run.transport;
        String base = run.guardBase;
        t.writeFile(
                base + ".sh",
                GuardScripts.watchdog(base, release, hash, previous, confirm, Layout.LOCK_FILE, Layout.LOG)
                        .getBytes(StandardCharsets.UTF_8));
        t.writeFile(base + ".armed", (release + "\n").getBytes(StandardCharsets.UTF_8));
        Watchdog w = new Watchdog(run);
        Runtime.getRuntime().addShutdownHook(w.hook);
        ExecResult started;
        try {
            started = t.exec("", GuardScripts.startAndSwitch(base, release), QUICK);
            w.switchInDoubt = started.timedOut();
        } catch (RuntimeException e) {
            w.switchInDoubt = true; // it may have run: its watchdog stays armed
            w.settle();
            throw e;
        } finally {
            w.switchAnswered.countDown();
        }
        if (started.timedOut()) {
            // the command may still be running, and switch after this answer: the watchdog is left armed, to
            // switch back once confirm has passed (or at once, fired by the next deploy or rollback)
            w.settle();
            throw leftArmed(run, release, "did not answer within " + QUICK.toSeconds() + " s");
        }
        if (!started.ok() && started.exitCode() != 1 && started.exitCode() != GuardScripts.NOT_SWITCHED) {
            // neither of its own refusals: killed (137), the connection lost (255)… after the switch, perhaps
            w.settle();
            throw leftArmed(
                    run,
                    release,
                    "ended with exit " + started.exitCode() + " ("
                            + started.output().strip() + ")");
        }
        if (!started.ok()) {
            w.confirm();
            throw DeployException.broken(
                    (started.exitCode() == GuardScripts.NOT_SWITCHED
                                    ? "cannot switch current to release " + release + " on "
                                    : "cannot start the watchdog on ")
                            + run.node.name() + " (exit " + started.exitCode() + "): "
                            + started.output().strip(),
                    null);
        }
        return w;
    }

    /** The failure of a switch whose end is unknown: its watchdog stays armed, and switches back if it switched. */
    private static DeployException leftArmed(NodeRun run, String release, String how) {
        return DeployException.broken(
                "the switch to release " + release + " on " + run.node.name() + " " + how + "; its watchdog stays"
                        + " armed and switches current back once timeouts.confirm has passed (the next deploy or"
                        + " rollback fires it at once)",
                null);
    }

    /** {@code true} once an interrupt has switched back (or is switching back) this node. */
    boolean interrupted() {
        return interrupted;
    }

    /**
     * Confirms the switch: the watchdog stops and its files go. Also called before the deploy switches
     * back itself.
     *
     * @return {@code true} when the switch was still armed; {@code false} when the watchdog or an
     *     interrupt had already taken it (and switched back)
     */
    boolean confirm() {
        try {
            return !interrupted
                    && run.transport.exec("", GuardScripts.confirm(base), QUICK).said("CONFIRMED");
        } finally {
            settle();
        }
    }

    /**
     * Confirms like {@link #confirm()} and, when the switch was still armed, records {@code logLine} in
     * the deploy log with the same command on the node; where that command could not append (the log is
     * a link or not a file), {@code record} does it, and fails naming it.
     */
    boolean confirm(String logLine, Runnable record) {
        try {
            if (interrupted) {
                return false;
            }
            ExecResult out = run.transport.exec("", GuardScripts.confirm(base, Layout.LOG, logLine), QUICK);
            if (!out.said("CONFIRMED")) {
                return false;
            }
            if (!out.said("LOGGED")) {
                record.run();
            }
            return true;
        } finally {
            settle();
        }
    }

    /**
     * Switches back at once, through the watchdog's own script on the node ({@code now}): in one command it
     * takes the token, switches {@code current} back when it still names this switch's release, logs
     * {@code outcome} and kills what the deploy left running. Should the command fail or not answer, the
     * token stays, and the watchdog left armed switches back once the confirm time has passed.
     *
     * @param logLine the line the deploy log gets for the switch back
     * @return what the script printed: {@link GuardScripts#FIRED} when this call took the token (not when the
     *     watchdog, an interrupt or a confirm had), and {@link GuardScripts#LOGGED} when it switched back and
     *     appended {@code logLine}; nothing after an interrupt
     */
    ExecResult switchBackNow(String outcome, String logLine) {
        try {
            return interrupted
                    ? new ExecResult(0, "")
                    : run.transport.exec("", now(outcome) + " " + Shell.quote(logLine), QUICK);
        } finally {
            settle();
        }
    }

    private String now(String outcome) {
        return "sh " + Shell.quote(base + ".sh") + " now " + outcome + " " + Shell.quote(run.who);
    }

    /** Lets an interrupt that waits for this node go on; the hook is not needed any more. */
    void settle() {
        settled.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs, and finds this node settled.
        }
    }

    private void onInterrupt() {
        if (settled.getCount() == 0) {
            return;
        }
        interrupted = true;
        try {
            // a switch still under way would land after this switch back, unguarded: let it answer first (the
            // channel's opening and the command's bound); one whose answer never came is left to the watchdog
            if (switchAnswered.await(QUICK.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS) && !switchInDoubt) {
                run.transport.exec("", now(DeployLogEntry.INTERRUPTED), QUICK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The node cannot be reached: its watchdog switches back once the confirm time has passed.
        }
        try {
            settled.await(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

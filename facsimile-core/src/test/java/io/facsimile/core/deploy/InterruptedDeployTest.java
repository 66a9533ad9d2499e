package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deploy killed ({@code kill -9}) or interrupted (SIGINT, as Ctrl-C sends) after its switch, in a JVM
 * of its own ({@link GuardChild}) whose postcmd sleeps: the node must end on its earlier release, the
 * postcmd's processes killed, with a line in the deploy log.
 */
public class InterruptedDeployTest extends LocalDeployFixture {

    Path sleeper;
    String first;

    @BeforeEach
    void deployFirst() {
        sleeper = dir.resolve("sleep.pid");
        write("app.conf", "v=1\n");
        first = only(engine.deploy(DeployRequest.of(source("1.0"), DeploySpec.local(home.toString())), local()))
                .release();
        write("app.conf", "v=2\n");
    }

    Process child() throws IOException {
        return child("sleep 300 & echo $! > '" + sleeper + "'; wait", "2s", "child.log");
    }

    /** A deploy of the second build in a JVM of its own, with this postcmd and confirm time, its output to {@code log}. */
    Process child(String postcmd, String confirm, String log, String... jvmOptions) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                GuardChild.class.getName(),
                home.toString(),
                tree.toString(),
                "2.0",
                postcmd,
                confirm));
        command.addAll(node());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    /** How the child reaches the node: nothing for this machine, see {@link GuardChild} for SSH. */
    protected List<String> node() {
        return List.of();
    }

    /** What a test does to the deploy's JVM while its postcmd runs. */
    interface ToTheChild {
        void accept(Process child) throws Exception;
    }

    /** Starts the deploy in a JVM of its own, waits for its postcmd, does {@code what}, and kills it in any case. */
    void duringPostcmd(ToTheChild what) throws Exception {
        duringPostcmd(child(), what);
    }

    void duringPostcmd(Process child, ToTheChild what) throws Exception {
        try {
            awaitPostcmd(child);
            what.accept(child);
        } finally {
            child.destroyForcibly();
        }
    }

    /** Waits until the postcmd runs: the new release is live and not confirmed. */
    void awaitPostcmd(Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(sleeper) || Files.readString(sleeper).isBlank()) {
            assertThat(child.isAlive()).as("the deploy runs: %s", log()).isTrue();
            assertThat(System.nanoTime()).as("postcmd started").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(current()).isNotEqualTo("releases/" + first);
    }

    void awaitCurrent(String release) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!current().equals(release) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(current()).isEqualTo(release);
    }

    String current() throws IOException {
        return Files.readSymbolicLink(home.resolve("current")).toString();
    }

    String log() throws IOException {
        return log("child.log");
    }

    String log(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    /** The deploy log's last line once it names another release than the first: the watchdog switches, then logs. */
    String lastLogLine() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last;
        do {
            List<String> lines = Files.readAllLines(home.resolve(Layout.LOG));
            last = lines.get(lines.size() - 1);
        } while (last.contains("\"release\":\"" + first + "\"") && System.nanoTime() < deadline && sleep());
        return last;
    }

    /** Sends SIGINT, as Ctrl-C does, and waits for the deploy to end. */
    void interrupt(Process child) throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.waitFor(60, TimeUnit.SECONDS))
                .as("the deploy ends after SIGINT: %s", log())
                .isTrue();
    }

    void sleeperIsGone() throws Exception {
        long pid = Long.parseLong(Files.readString(sleeper).trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("the postcmd's sleep")
                .isEmpty();
    }

    void noGuardFilesLeft() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> names;
        do {
            try (Stream<Path> files = Files.list(home.resolve(".facsimile"))) {
                names = files.map(p -> p.getFileName().toString()).toList();
            }
        } while (names.size() > 1 && System.nanoTime() < deadline && sleep());
        assertThat(names).containsExactly("deploy-log.jsonl");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    @Test
    @Case("deploy.kill-9-after-switch")
    void aDeployKilledAfterItsSwitchIsRevertedByTheNodesWatchdog() throws Exception {
        duringPostcmd(child -> {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            awaitCurrent("releases/" + first);
        });
        assertThat(lastLogLine())
                .contains("\"outcome\":\"reverted\"")
                .contains("\"who\":\"watchdog\"")
                .doesNotContain("\"release\":\"" + first + "\"");
        sleeperIsGone();
        noGuardFilesLeft();
    }

    @Test
    @Case("deploy.interrupt")
    void ctrlCDuringPostcmdKillsItSwitchesBackAndLogs() throws Exception {
        duringPostcmd(child -> {
            long started = System.nanoTime();
            interrupt(child);
            assertThat((System.nanoTime() - started) / 1e9)
                    .as("seconds from SIGINT to exit")
                    .isLessThan(60);
        });
        assertThat(current()).isEqualTo("releases/" + first);
        assertThat(lastLogLine())
                .contains("\"outcome\":\"interrupted\"")
                .doesNotContain("\"release\":\"" + first + "\"");
        sleeperIsGone();
        noGuardFilesLeft();
    }

    @Test
    @Case("deploy.fleet-revert")
    public void aRevertingFleetTakesANodesUnconfirmedSwitchBackBeforeRecordingWhereToRevertTo() throws Exception {
        // n1: killed during postcmd, its watchdog far off: current names 2.0, which no check passed
        duringPostcmd(child("sleep 300 & echo $! > '" + sleeper + "'; wait", "10m", "child.log"), child -> {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        });
        String unconfirmed = current();
        // n2: on 1.0, and its postcmd fails
        Path n2 = dir.resolve("n2/srv/shop");
        write("app.conf", "v=1\n");
        java.util.Map<String, Object> spec = new java.util.HashMap<>(java.util.Map.of(
                "home",
                "/srv/shop",
                "nodes",
                java.util.Map.of("web", List.of("n1", "n2")),
                "postcmd",
                FleetPolicyTest.POSTCMD));
        TransportFactory fleet = n ->
                new io.facsimile.core.deploy.local.LocalTransport(n, n.host().equals("n1") ? home : n2);
        engine.deploy(
                DeployRequest.of(
                        source("1.0"),
                        DeploySpec.parse(java.util.Map.of(
                                "home", "/srv/shop", "nodes", java.util.Map.of("web", List.of("n2"))))),
                fleet);
        Files.writeString(n2.resolve("FAIL"), "");
        write("app.conf", "v=2\n");
        spec.putAll(java.util.Map.of("serial", 1, "onFailure", "revert"));

        DeployReport report = engine.deploy(DeployRequest.of(source("2.0"), DeploySpec.parse(spec)), fleet);

        assertThat(report.nodes()).extracting(NodeResult::outcome).containsExactly(Outcome.REVERTED, Outcome.FAILED);
        assertThat(current())
                .as("n1 goes back to what it ran before this run's deploy, not to the switch it undid")
                .isEqualTo("releases/" + first)
                .isNotEqualTo(unconfirmed);
        sleeperIsGone();
    }

    @Test
    @Case("deploy.interrupt")
    public void ctrlCWhileTheSwitchIsUnderWaySwitchesBackOnceItHasLanded() throws Exception {
        // the command that starts the watchdog and switches answers 3 s late; SIGINT comes meanwhile
        Process child = child("true", "10m", "child.log", "-Dguard.slowSwitch=3000");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!log().contains("switch under way")) {
                assertThat(child.isAlive()).as("the deploy runs: %s", log()).isTrue();
                assertThat(System.nanoTime()).as("the switch started").isLessThan(deadline);
                Thread.sleep(20);
            }
            interrupt(child);
        } finally {
            child.destroyForcibly();
        }
        assertThat(current())
                .as("the switch landed after the interrupt: %s", log())
                .isEqualTo("releases/" + first);
        assertThat(lastLogLine()).contains("\"outcome\":\"interrupted\"");
        noGuardFilesLeft();
    }

    @Test
    @Case("deploy.unconfirmed-switch")
    public void aRollbackFromASwitchNoDeployConfirmedStopsOnTheReleaseBeforeItAsItsDryRunSays() throws Exception {
        // 1.0 (first) and 1.5 passed their checks; 2.0's deploy is killed during its postcmd
        String good = only(engine.deploy(DeployRequest.of(source("1.5"), DeploySpec.local(home.toString())), local()))
                .release();
        write("app.conf", "v=3\n");
        duringPostcmd(child("sleep 300 & echo $! > '" + sleeper + "'; wait", "10m", "child.log"), child -> {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        });
        String unconfirmed = current().substring("releases/".length());
        DeployRequest rollback = DeployRequest.onNodes(DeploySpec.local(home.toString()));

        NodeResult dry = only(engine.rollback(rollback.withDryRun(true), local()));
        assertThat(current()).as("a dry run changes nothing").isEqualTo("releases/" + unconfirmed);
        NodeResult real = only(engine.rollback(rollback, local()));

        assertThat(dry.reason()).contains("would roll back " + unconfirmed + " -> the release before it");
        assertThat(real.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(real.reason()).contains("was " + unconfirmed + ", never confirmed; current is " + good + " again");
        assertThat(current()).as("not one release further back, to " + first).isEqualTo("releases/" + good);
        sleeperIsGone();
        noGuardFilesLeft();
    }

    @Test
    @Case("deploy.unconfirmed-switch")
    void aRedeployWhileAKilledDeploysSwitchIsUnconfirmedChecksTheReleaseAgainInsteadOfCallingItCurrent()
            throws Exception {
        String[] unconfirmed = new String[1];
        // killed during postcmd, long before its watchdog's time: current names a release no check passed
        duringPostcmd(child("sleep 300 & echo $! > '" + sleeper + "'; wait", "10m", "child.log"), child -> {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            unconfirmed[0] = current();
        });

        Process again = child("true", "10m", "again.log");
        assertThat(again.waitFor(120, TimeUnit.SECONDS))
                .as("the redeploy ends: %s", log("again.log"))
                .isTrue();

        assertThat(again.exitValue()).as(log("again.log")).isZero();
        assertThat(log("again.log"))
                .doesNotContain("already current")
                .contains("was switched to by a deploy that ended before its postcmd and health check passed")
                .contains("deployed");
        assertThat(current()).isEqualTo(unconfirmed[0]);
        List<String> lines = Files.readAllLines(home.resolve(Layout.LOG));
        String release = unconfirmed[0].substring("releases/".length());
        assertThat(lines.get(lines.size() - 2))
                .contains("\"release\":\"" + release + "\"")
                .contains("\"outcome\":\"reverted\"");
        assertThat(lines.get(lines.size() - 1))
                .contains("\"release\":\"" + release + "\"")
                .contains("\"outcome\":\"ok\"");
        sleeperIsGone();
        noGuardFilesLeft();
    }
}

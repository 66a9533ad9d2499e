package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's scripts (the switch of a deploy with nothing to confirm, the watchdog, the kill) as a real {@code sh} runs them in a home. */
class GuardScriptsTest {

    private static final String LINE = "{\"release\":\"1.0-b\",\"outcome\":\"ok\"}";

    @TempDir
    Path dir;

    Path home;
    Path log;

    @BeforeEach
    void home() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("releases/1.0-a"));
        Files.createDirectories(home.resolve("releases/1.0-b"));
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/1.0-a"));
        log = home.resolve(".facsimile/deploy-log.jsonl");
        Files.createDirectories(log.getParent());
    }

    @Test
    void switchesCurrentAndAppendsTheLogLineInOneCommand() throws Exception {
        Files.writeString(log, "{\"release\":\"1.0-a\"}\n");
        Result r = switchAndLog();
        assertThat(r.status()).isZero();
        assertThat(r.output()).contains("LOGGED");
        assertThat(Files.readSymbolicLink(home.resolve("current"))).isEqualTo(Path.of("releases/1.0-b"));
        assertThat(Files.readAllLines(log)).containsExactly("{\"release\":\"1.0-a\"}", LINE);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    @Case("deploy.confirm-log-link")
    void aLogThatIsALinkIsLeftAloneAndTheCallerIsTold() throws Exception {
        Path outside = Files.writeString(dir.resolve("precious.txt"), "mine\n");
        Files.createSymbolicLink(log, outside);
        Result r = switchAndLog();
        assertThat(r.status()).isZero();
        assertThat(r.output()).doesNotContain("LOGGED");
        assertThat(outside).hasContent("mine");
        assertThat(Files.readSymbolicLink(home.resolve("current"))).isEqualTo(Path.of("releases/1.0-b"));
    }

    @Test
    void aCurrentThatCannotBeReplacedIsLeftAsItWasAndNothingIsLogged() throws Exception {
        Files.delete(home.resolve("current"));
        Path held = Files.writeString(
                Files.createDirectories(home.resolve("current")).resolve("keep.txt"), "mine\n");
        Result r = switchAndLog();
        assertThat(r.status()).isEqualTo(GuardScripts.NOT_SWITCHED);
        assertThat(r.output()).doesNotContain("LOGGED");
        assertThat(held).hasContent("mine");
        assertThat(log).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    @Case("deploy.guard-files-links")
    void theWatchdogSwitchesBackButNeverAppendsToALogThatIsALink() throws Exception {
        Files.delete(home.resolve("current"));
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/1.0-b"));
        String base = ".facsimile/guard-t";
        Files.writeString(
                home.resolve(base + ".sh"),
                GuardScripts.watchdog(
                        base,
                        "1.0-b",
                        "ab",
                        java.util.Optional.of("1.0-a"),
                        java.time.Duration.ofMinutes(5),
                        ".facsimile-deploy.lock",
                        ".facsimile/deploy-log.jsonl"));
        Files.writeString(home.resolve(base + ".armed"), "1.0-b\n");
        Path outside = Files.writeString(dir.resolve("precious.txt"), "mine\n");
        Files.createSymbolicLink(log, outside);

        Result r = run("sh " + base + ".sh now interrupted someone");

        assertThat(r.status()).as(r.output()).isZero();
        assertThat(Files.readSymbolicLink(home.resolve("current"))).isEqualTo(Path.of("releases/1.0-a"));
        assertThat(outside).hasContent("mine");
        assertThat(home.resolve(base + ".armed")).doesNotExist();
    }

    @Test
    @Case("deploy.guard-files-links")
    void aProcessGroupFileSignalsOnlyAGroupAboveOne() throws Exception {
        // kill is a regular built-in: the function stands in for it, so nothing is really signalled
        String stand = "kill() { echo \"kill $*\" >> calls; }; sleep() { :; }; ";
        for (String content : List.of("1", "0", "-1", "", "1 2", "x")) {
            Files.writeString(home.resolve(".facsimile/guard-t.pgid"), content);
            assertThat(run(stand + GuardScripts.kill(".facsimile/guard-t")).status())
                    .isZero();
            assertThat(home.resolve("calls"))
                    .as("a .pgid holding '%s'", content)
                    .doesNotExist();
        }
        Files.writeString(home.resolve(".facsimile/guard-t.pgid"), "4242\n");
        assertThat(run(stand + GuardScripts.kill(".facsimile/guard-t")).status())
                .isZero();
        assertThat(Files.readAllLines(home.resolve("calls")))
                .containsExactly("kill -s TERM -- -4242", "kill -s KILL -- -4242");
    }

    private record Result(int status, String output) {}

    private Result switchAndLog() throws Exception {
        return run(GuardScripts.switchAndLog("current.tmp-1", "releases/1.0-b", ".facsimile/deploy-log.jsonl", LINE));
    }

    @Test
    @Case("deploy.postcmd-timeout")
    void withoutSetsidATimedCommandStillGetsAGroupOfItsOwnThatKillEnds() throws Exception {
        // a node without util-linux setsid (macOS): sh, sleep, cat, rm, ps and awk, nothing else
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sh", "sleep", "cat", "rm", "ps", "awk")) {
            Path found = java.util.stream.Stream.of("/usr/bin", "/bin")
                    .map(d -> Path.of(d, tool))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
        ProcessBuilder timed = new ProcessBuilder(
                        "sh",
                        "-c",
                        GuardScripts.timed(".facsimile/guard-t", ".", "sleep 300 & echo $! > sleeper; wait"))
                .directory(home.toFile())
                .redirectErrorStream(true);
        timed.environment().put("PATH", bin.toString());
        Process postcmd = timed.start();
        try {
            Path sleeper = home.resolve("sleeper");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((!Files.exists(sleeper) || Files.readString(sleeper).isBlank()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long pid = Long.parseLong(Files.readString(sleeper).trim());
            ProcessBuilder kill = new ProcessBuilder("sh", "-c", GuardScripts.kill(".facsimile/guard-t"))
                    .directory(home.toFile())
                    .redirectErrorStream(true);
            kill.environment().put("PATH", bin.toString());
            assertThat(kill.start().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(postcmd.waitFor(30, TimeUnit.SECONDS))
                    .as("the timed command ends")
                    .isTrue();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                    .as("the command's child, killed with its group")
                    .isEmpty();
        } finally {
            postcmd.descendants().forEach(ProcessHandle::destroyForcibly);
            postcmd.destroyForcibly();
        }
    }

    @Test
    @Case("deploy.postcmd-timeout")
    void aPidLeftFromACommandThatEndedIsNeverSignalledWhereSetsidIsThere() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "util-linux setsid");
        // the command ended; its pid is another process's now, which leads no group
        Result ran = run(GuardScripts.timed(".facsimile/guard-t", ".", "true"));
        assertThat(ran.status()).isZero();
        assertThat(home.resolve(".facsimile/guard-t.pgid"))
                .as("removed once the command ended")
                .doesNotExist();
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(home.resolve(".facsimile/guard-t.pgid"), unrelated.pid() + "\n");
            run(GuardScripts.kill(".facsimile/guard-t"));
            assertThat(unrelated.isAlive())
                    .as("a process that only took the pid")
                    .isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    private Result run(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private List<String> leftovers() throws IOException {
        try (var s = Files.list(home)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("current.tmp"))
                    .toList();
        }
    }
}

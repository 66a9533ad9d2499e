package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.facsimile.core.reliability.Case;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state promises of SPEC §5 attacked from outside the JVM: processes killed with SIGKILL in the
 * middle of a save or while holding the lock, a file size limit that makes a write fail half way,
 * two processes generating into one state, and umask 000. Every child is a fresh JVM
 * ({@link StateChildMain}); the counts are bounded so the class runs in well under a minute.
 */
class StateHardeningTest {

    private static final int KILLS = 200;

    @TempDir
    Path root;

    private String classPath = System.getProperty("java.class.path");
    private Path sharedArchive;

    private Path stateDirectory() {
        return root.resolve("state");
    }

    @Test
    @Case("state.kill-9")
    void killingASaveAtRandomPointsLeavesTheOldOrTheNewDocument() throws Exception {
        fastChildren();
        // Two states side by side, killed in turn by two threads: 200 kills in about half the wall time.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<int[]> first = threads.submit(() -> killRepeatedly("prod0", KILLS / 2, 7));
            Future<int[]> second = threads.submit(() -> killRepeatedly("prod1", KILLS - KILLS / 2, 11));
            int[] a = first.get(5, TimeUnit.MINUTES);
            int[] b = second.get(5, TimeUnit.MINUTES);
            // The kills landed inside saves (temporary files left behind), and saves also completed in between.
            assertThat(a[0] + b[0]).as("kills inside a save").isPositive();
            assertThat(a[1]).as("saves completed between kills").isPositive();
            assertThat(b[1]).as("saves completed between kills").isPositive();
        } finally {
            threads.shutdownNow();
        }
    }

    /** Returns {temporary files found after kills, saves completed}. */
    private int[] killRepeatedly(String name, int kills, long seed) throws Exception {
        seed(name, 150); // a document of ~8 kB, so that a save takes long enough to be hit in the middle
        Path file = stateDirectory().resolve(name).resolve("state.json");
        Map<String, String> seen = new HashMap<>(read(file));
        Random random = new Random(seed);
        int leftTemporaryFiles = 0;
        int previous = 0;
        for (int kill = 0; kill < kills; kill++) {
            Process child = child("loop", name);
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                // JVM warnings (class-data sharing) may come first on stdout; the child's own line is "ready".
                for (int skipped = 0; first != null && !first.equals("ready") && skipped < 20; skipped++) {
                    first = out.readLine();
                }
                assertThat(first).as("child %d did not start: %s", kill, first).isEqualTo("ready");
                Thread.sleep(random.nextInt(25));
                child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            try (Stream<Path> files = Files.list(file.getParent())) {
                leftTemporaryFiles +=
                        (int) files.filter(p -> p.getFileName().toString().contains(".tmp-"))
                                .count();
            }
            Map<String, String> now = read(file);
            int written = countK(now);
            assertThat(written).as("kill %d: keys k0..k%d", kill, written - 1).isGreaterThanOrEqualTo(previous);
            for (int i = 0; i < written; i++) {
                assertThat(now)
                        .as("kill %d: k0..k%d without a gap", kill, written - 1)
                        .containsKey("k" + i);
            }
            // Never changed, never dropped: every value seen after an earlier kill is still there, the same.
            for (Map.Entry<String, String> e : seen.entrySet()) {
                assertThat(now.get(e.getKey()))
                        .as("kill %d: value of %s", kill, e.getKey())
                        .isEqualTo(e.getValue());
            }
            seen.putAll(now);
            previous = written;
            Path backup = file.resolveSibling(StateFiles.BACKUP_FILE);
            if (Files.exists(backup)) {
                read(backup); // the backup is always a whole document too
            }
        }
        try (StateSession state = new StateStore(stateDirectory()).open(name)) {
            assertThat(state.passwords()).hasSize(150 + previous);
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("open removes the leftovers")
                    .noneMatch(n -> n.contains(".tmp-"));
        }
        return new int[] {leftTemporaryFiles, previous};
    }

    /**
     * Start-up dominates 200 child JVMs: put the class directories into jars and record a class-data
     * archive once (JDK 13+ dynamic CDS), which the children then map instead of loading classes.
     * Any failure here only means slower children.
     */
    private void fastChildren() {
        try {
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    Path jar = root.resolve("cp" + n++ + ".jar");
                    jarOf(path, jar);
                    entries.add(jar.toString());
                } else {
                    entries.add(entry);
                }
            }
            classPath = String.join(java.io.File.pathSeparator, entries);
            Path archive = root.resolve("children.jsa");
            List<String> command = new ArrayList<>(javaCommand("fill", "cds-warm-up", "150"));
            command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
            Process warmUp = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve("cds.log").toFile())
                    .start();
            if (warmUp.waitFor(60, TimeUnit.SECONDS) && Files.isRegularFile(archive)) {
                sharedArchive = archive;
            }
        } catch (IOException | InterruptedException e) {
            classPath = System.getProperty("java.class.path");
        }
    }

    private static void jarOf(Path directory, Path jar) throws IOException {
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(
                        directory.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    @Test
    @Case("state.disk-full")
    void aWriteFailingHalfWayLeavesStateByteIdentical() throws Exception {
        assumePosixShell();
        seed(3);
        Path file = stateDirectory().resolve("prod/state.json");
        byte[] before = Files.readAllBytes(file);
        // A file size limit of 64 blocks (32 or 64 kB): the old document fits, the new one (~250 kB) does not,
        // so the write of the temporary file fails with EFBIG half way, as on a full disk.
        Process child = underShell("ulimit -f 64", "fill", "prod", "5000");
        String output = outputOnExit(child, 30, 3);
        assertThat(output).contains("Cannot write state file", "it was left unchanged", "File too large");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    @Case("state.two-jvms")
    void twoProcessesOnOneStateSerialiseAndGenerateEachSecretOnce() throws Exception {
        int rounds = 25;
        List<Process> children = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            children.add(child("shared", "prod", id, Integer.toString(rounds)));
        }
        int generated = 0;
        List<String> sharedHashes = new ArrayList<>();
        for (Process child : children) {
            String output = outputOnExit(child, 60, 0);
            for (String line : output.split("\n")) {
                if (line.equals("GENERATED")) {
                    generated++;
                } else if (line.startsWith("SHARED ")) {
                    sharedHashes.add(line);
                }
            }
        }
        assertThat(generated).as("processes that generated 'shared'").isEqualTo(1);
        assertThat(sharedHashes).hasSize(3).containsOnly(sharedHashes.get(0));
        // No lost update: every password any process committed is in the file.
        Map<String, String> state = read(stateDirectory().resolve("prod/state.json"));
        assertThat(state).hasSize(1 + 3 * rounds);
    }

    @Test
    @Case("state.killed-lock-holder")
    void aLockHolderKilledWithSigkillDoesNotBlockTheNextRun() throws Exception {
        Path marker = root.resolve("locked");
        Process holder = child("hold", "prod", marker.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(marker)) {
                assertThat(holder.isAlive()).as("holder died before locking").isTrue();
                assertThat(System.nanoTime()).as("holder did not lock in 30 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            StateStore impatient = new StateStore(stateDirectory(), Duration.ofMillis(200));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.open("prod"))
                    .as("the lock is really held while the holder lives")
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("another process");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // as impatient as above: a lock the dead holder still held would make this open fail
        try (StateSession state = new StateStore(stateDirectory(), Duration.ofMillis(200)).open("prod")) {
            assertThat(state.passwords()).containsKey("holder");
        }
        assertThat(stateDirectory().resolve("prod/.lock")).exists();
    }

    @Test
    @Case("state.umask-000")
    void underUmask000EveryStateTemporaryAndBackupFileIsOwnerOnly() throws Exception {
        assumePosixShell();
        Process child = underShell("umask 000", "modes", "prod");
        String output = outputOnExit(child, 30, 0);
        List<String> modes = output.lines().filter(l -> l.startsWith("MODE ")).toList();
        // The second save passes both checkpoints with the temporary file, the backup and its own
        // temporary file present: all of them must have been seen.
        assertThat(modes).anyMatch(l -> l.matches("MODE TEMP_WRITTEN state\\.json\\.tmp-\\w+ .*"));
        assertThat(modes).anyMatch(l -> l.matches("MODE BACKUP_WRITTEN state\\.json\\.bak .*"));
        assertThat(modes).anyMatch(l -> l.matches("MODE END state\\.json .*"));
        assertThat(modes).anyMatch(l -> l.matches("MODE END \\.lock .*"));
        for (String line : modes) {
            String expected = line.split(" ")[2].equals(".") ? "rwx------" : "rw-------";
            assertThat(line).endsWith(" " + expected);
        }
        assertThat(modeOf(stateDirectory())).isEqualTo("rwx------");
    }

    // ---- helpers

    /** Skips a test that needs POSIX file modes and {@code /bin/sh}. */
    private void assumePosixShell() {
        assumeThat(Permissions.posix(root) && Files.isExecutable(Path.of("/bin/sh")))
                .as("POSIX system with /bin/sh")
                .isTrue();
    }

    /** What a child printed, once it has ended within {@code seconds} with {@code exitCode}. */
    private static String outputOnExit(Process child, int seconds, int exitCode)
            throws IOException, InterruptedException {
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(exitCode);
        return output;
    }

    private static String modeOf(Path path) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private void seed(int passwords) {
        seed("prod", passwords);
    }

    private void seed(String name, int passwords) {
        try (StateSession state = new StateStore(stateDirectory()).open(name)) {
            for (int i = 0; i < passwords; i++) {
                state.password("seed" + i, SecretPolicy.defaults());
            }
            state.commit();
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        try {
            Map<String, String> values = new HashMap<>();
            for (Map.Entry<String, Secret> e :
                    StateCodec.parse(content).passwords().entrySet()) {
                values.put(e.getKey(), e.getValue().reveal());
            }
            return values;
        } catch (StateCodec.MalformedStateException e) {
            throw new AssertionError(file + " does not parse (" + content.length + " bytes): " + e.getMessage(), e);
        }
    }

    private static int countK(Map<String, String> passwords) {
        return (int) passwords.keySet().stream().filter(k -> k.matches("k\\d+")).count();
    }

    private List<String> javaCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Xshare:auto",
                "-Xlog:disable",
                "-Xlog:all=error:stderr"));
        if (sharedArchive != null) {
            command.add("-XX:SharedArchiveFile=" + sharedArchive);
        }
        command.addAll(List.of(
                "-cp",
                classPath,
                StateChildMain.class.getName(),
                args[0],
                stateDirectory().toString()));
        command.addAll(List.of(args).subList(1, args.length));
        return command;
    }

    private Process child(String... args) throws IOException {
        return new ProcessBuilder(javaCommand(args))
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        root.resolve("children.err").toFile()))
                .start();
    }

    /** A child whose shell first runs {@code setup} (a umask or ulimit), then execs the JVM. */
    private Process underShell(String setup, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", setup + " && exec \"$@\"", "sh"));
        command.addAll(javaCommand(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}

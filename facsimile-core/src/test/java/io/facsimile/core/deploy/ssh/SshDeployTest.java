package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.ExecResult;
import io.facsimile.core.deploy.ModeProbe;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.NodeDrift;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.Releaser;
import io.facsimile.core.deploy.Shell;
import io.facsimile.core.deploy.TestEngines;
import io.facsimile.core.deploy.Transport;
import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import io.facsimile.core.reliability.Case;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH transport and the deploy engine against a real OpenSSH server on 127.0.0.1. */
class SshDeployTest {

    @TempDir
    static Path keys;

    static Path hostKey;
    static Path otherHostKey;
    static Path userKey;

    @TempDir
    Path dir;

    Path tree;
    Path home;
    Path knownHosts;
    Sshd sshd;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    DeployEngine engine;

    @BeforeAll
    static void keys() throws Exception {
        assumeTrue(Sshd.available(), "no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server)");
        hostKey = Sshd.keygen(keys.resolve("host/key"));
        otherHostKey = Sshd.keygen(keys.resolve("other/key"));
        userKey = Sshd.keygen(keys.resolve("user/id_ecdsa"));
    }

    @BeforeEach
    void start() throws Exception {
        // a home with a space and a quote: every remote path goes through the shell quoting
        home = dir.resolve("srv/it's a shop");
        tree = dir.resolve("release/_DEPLOY_");
        knownHosts = dir.resolve("known_hosts");
        sshd = Sshd.start(dir, "a", hostKey, userKey);
        Files.writeString(knownHosts, sshd.knownHostsLine());
        engine = TestEngines.engine(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                lines.add(node.name() + ": " + message);
            }

            @Override
            public void output(Node node, String text) {
                lines.add(node.name() + "> " + text);
            }

            @Override
            public void finished(NodeResult result) {
                lines.add(result.line());
            }
        });
        write("etc/shop.conf", "port=1\n");
        write("bin/run it.sh", "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(tree.resolve("bin/run it.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        write("lib/static.txt", "unchanging\n");
        write("lib/quote'd \"file\".txt", "odd name\n");
    }

    @AfterEach
    void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    // ---- helpers

    void write(String path, String content) throws IOException {
        Path p = tree.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    SshTransportFactory factory(boolean acceptNew) {
        return new SshTransportFactory(
                home.toString(),
                new SshCredentials("root", null, userKey, null),
                new HostKeyPolicy(knownHosts, acceptNew));
    }

    Node node() {
        return new Node("app", sshd.hostSpec(), "127.0.0.1", sshd.port);
    }

    DeploySpec spec(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(extra);
        m.put("home", home.toString());
        m.put("nodes", Map.of("app", List.of(sshd.hostSpec())));
        return DeploySpec.parse(m);
    }

    DeployReport deploy(DeploySpec spec) {
        return engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec), factory(false));
    }

    static NodeResult only(DeployReport report) {
        assertThat(report.nodes()).hasSize(1);
        return report.nodes().get(0);
    }

    String current() throws IOException {
        return Files.readSymbolicLink(home.resolve("current")).toString();
    }

    // ---- the transport on its own

    @Test
    @Case({"deploy.modes", "deploy.long-names"})
    void transportCarriesOutEveryOperation() throws IOException {
        try (Transport t = factory(false).open(node())) {
            assertThat(t.describeHome()).isEqualTo("root@127.0.0.1:" + sshd.port + ":" + home);
            assertThat(t.exists("a dir")).isFalse();
            assertThat(t.list("a dir")).isEmpty();
            assertThat(t.scan("a dir", p -> true).files()).isEmpty();

            t.upload(
                    "a dir/x's \"y\".sh",
                    new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)),
                    6,
                    "0750");
            Path x = home.resolve("a dir/x's \"y\".sh");
            assertThat(x).hasContent("hello");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(x)))
                    .isEqualTo("rwxr-x---");
            assertThat(t.exists("a dir/x's \"y\".sh")).isTrue();
            assertThat(t.list("a dir")).containsExactly("x's \"y\".sh");

            // a secret is created 0600 on the node, not 0644 and then chmod'ed
            ModeProbe probe = new ModeProbe(home.resolve("a dir"), "s3cret\n".getBytes(StandardCharsets.UTF_8));
            t.upload("a dir/secret.conf", probe, 7, "0600");
            assertThat(probe.seen)
                    .filteredOn(l -> !l.startsWith("x's"))
                    .singleElement()
                    .asString()
                    .endsWith(" rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("a dir/secret.conf"))))
                    .isEqualTo("rw-------");
            t.remove("a dir/secret.conf");
            // a name of 255 bytes: the temporary name beside it is short
            String longest = "n".repeat(250) + ".conf";
            t.upload("a dir/" + longest, new ByteArrayInputStream(new byte[] {'x'}), 1, "0644");
            assertThat(home.resolve("a dir/" + longest)).hasContent("x");
            t.remove("a dir/" + longest);

            t.copyAll("a dir", "b/c", List.of("x's \"y\".sh"));
            Path copy = home.resolve("b/c/x's \"y\".sh");
            assertThat(copy).hasContent("hello");
            assertThat(Files.isSameFile(x, copy))
                    .as("a copy of its own, no shared inode")
                    .isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
                    .isEqualTo("rwxr-x---");
            t.copyAll("a dir", "b/c", List.of("x's \"y\".sh"));

            t.writeFile("meta/log", "one\n".getBytes(StandardCharsets.UTF_8));
            t.appendFile("meta/log", "two\n".getBytes(StandardCharsets.UTF_8));
            t.appendFile("new/log", "x".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(t.readFile("meta/log").orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo("one\ntwo\n");
            assertThat(t.readFile("meta/none")).isEmpty();

            t.symlink("link tmp", "a dir");
            t.rename("link tmp", "link");
            assertThat(t.readLink("link")).contains("a dir");
            assertThat(t.readLink("meta/log")).isEmpty();
            assertThat(t.readLink("nothing")).isEmpty();
            assertThatThrownBy(() -> t.symlink("link", "elsewhere")).isInstanceOf(DeployException.class);

            Manifest m = t.scan("", p -> !p.startsWith("meta/") && !p.equals("new/"));
            assertThat(m.files())
                    .extracting(ManifestEntry::path)
                    .containsExactlyInAnyOrder("a dir/x's \"y\".sh", "b/c/x's \"y\".sh");
            ManifestEntry e = m.entry("a dir/x's \"y\".sh").orElseThrow();
            assertThat(e.mode()).isEqualTo("0750");
            assertThat(e.size()).isEqualTo(6);
            assertThat(e.sha256()).isEqualTo(Manifest.sha256(x));

            ExecResult r = t.exec("a dir", "pwd; echo out; echo err >&2; exit 3");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.output()).contains(home + "/a dir", "out", "err");

            t.remove("a dir");
            t.remove("link");
            assertThat(home.resolve("a dir")).doesNotExist();
            assertThat(home.resolve("b/c/x's \"y\".sh")).hasContent("hello");
            assertThatThrownBy(() -> t.remove("../x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.remove("")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lockIsExclusiveNamesItsHolderAndIsReleased() {
        SshTransportFactory f = factory(false);
        try (Transport one = f.open(node());
                Transport two = f.open(node())) {
            DeployLock held = one.lock("alice", Duration.ofSeconds(5));
            assertThatThrownBy(() -> two.lock("bob", Duration.ofMillis(300)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("is locked by alice (pid");
            held.close();
            two.lock("bob", Duration.ofSeconds(5)).close();
        }
        // a lock whose connection dies is released by the node
        Transport dying = f.open(node());
        dying.lock("crash", Duration.ofSeconds(5));
        dying.close();
        try (Transport t = f.open(node())) {
            t.lock("after", Duration.ofSeconds(5)).close();
        }
    }

    @Test
    @Case("deploy.one-lock")
    void aLocalAndAnSshHolderOfOneHomeMakeTheOtherWait() throws Exception {
        LocalTransport local = new LocalTransport(Node.LOCAL, home);
        try (Transport ssh = factory(false).open(node())) {
            try (DeployLock held = local.lock("local-alice", Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> ssh.lock("ssh-bob", Duration.ofMillis(300)))
                        .isInstanceOf(DeployException.class)
                        .hasMessageContaining("is locked by local-alice (pid");
            }
            try (DeployLock held = ssh.lock("ssh-bob", Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> local.lock("local-alice", Duration.ofMillis(300)))
                        .isInstanceOf(DeployException.class)
                        .hasMessageContaining("is locked by ssh-bob (pid");
            }
            local.lock("local-alice", Duration.ZERO).close();
        }
    }

    @Test
    @SuppressWarnings("try")
    void aDeployWaitingForTheLockOverSshIsToldWhoHoldsItAndTakesItWhenFreed() throws Exception {
        Releaser alice = Releaser.holding(new LocalTransport(Node.LOCAL, home), "local-alice");
        try (Transport ssh = factory(false).open(node());
                DeployLock mine = ssh.lock("ssh-bob", Duration.ofSeconds(60), alice.told()::add)) {
            assertThat(alice.told()).first().asString().startsWith("local-alice (pid ");
            assertThat(home.resolve(".facsimile-deploy.lock")).content().startsWith("ssh-bob (pid ");
        }
        alice.join();
    }

    @Test
    @Case("deploy.lock-bounded")
    @org.junit.jupiter.api.Timeout(120)
    void aNodeWhoseLockCommandNeverAnswersFailsAfterTheWaitAndTheSilenceNamingIt() throws Exception {
        // a node where flock hangs (a hung file system, say) while sshd still answers keepalives
        Path bin = Files.createDirectories(dir.resolve("hanging-bin"));
        Files.writeString(bin.resolve("flock"), "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(bin.resolve("flock"), PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = sshd.port;
        sshd.close();
        sshd = Sshd.start(
                dir,
                "hang",
                List.of(hostKey),
                userKey,
                port,
                null,
                null,
                List.of("SetEnv PATH=" + bin + ":/usr/bin:/bin"));
        SshTransportFactory f = factory(false).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2));
        try (Transport t = f.open(node())) {
            assertThatThrownBy(() -> t.lock("bob", Duration.ofSeconds(1)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("cannot lock " + home)
                    .hasMessageContaining("on " + sshd.hostSpec())
                    .hasMessageContaining("no answer within 3 s");
        }
    }

    @Test
    @Case("deploy.command-bound")
    void aNodeCommandThatNeitherPrintsNorEndsFailsAfterTheSilenceNamingIt() throws Exception {
        Files.createDirectories(home);
        SshTransportFactory f = factory(false).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2));
        try (Transport t = f.open(node())) {
            long started = System.nanoTime();
            // as a find or sha256sum on a hung file system would: silent, never ending
            assertThatThrownBy(() -> t.exec("", "sleep 120"))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining(sshd.hostSpec())
                    .hasMessageContaining("sleep")
                    .hasMessageContaining("printed nothing and did not end within 2s (deploy.timeouts.silence)");
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(30);
            // a command that keeps printing is not silent, however long it takes
            assertThat(t.exec("", "for i in 1 2 3 4; do echo $i; sleep 1; done").output())
                    .isEqualTo("1\n2\n3\n4\n");
        }
    }

    @Test
    @Case("deploy.confined-lock")
    void aLockFileLinkedOutsideIsRefusedAndTheTargetUntouched() throws Exception {
        Path outside = dir.resolve("outside.txt");
        Files.writeString(outside, "precious\n");
        Files.createDirectories(home);
        Files.createSymbolicLink(home.resolve(".facsimile-deploy.lock"), outside);
        try (Transport t = factory(false).open(node())) {
            assertThatThrownBy(() -> t.lock("bob", Duration.ofSeconds(1)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining(".facsimile-deploy.lock")
                    .hasMessageContaining("link");
        }
        assertThatThrownBy(() -> new LocalTransport(Node.LOCAL, home).lock("bob", Duration.ofSeconds(1)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining(".facsimile-deploy.lock");
        assertThat(outside).hasContent("precious");
    }

    @Test
    @Case("deploy.confined-links")
    void linksPlantedBelowTheHomeOnTheNodeAreNotFollowed() throws Exception {
        Path outside = dir.resolve("elsewhere");
        Files.createDirectories(outside);
        for (String name : List.of(".facsimile", "releases", "etc")) {
            home = dir.resolve("srv/home with " + name);
            Files.createDirectories(home);
            Files.createSymbolicLink(home.resolve(name), outside);
            NodeResult r = only(deploy(spec(name.equals("etc") ? Map.of("strategy", "sync") : Map.of())));
            assertThat(r.outcome()).as(name).isEqualTo(Outcome.FAILED);
            assertThat(r.reason()).as(name).contains(home.resolve(name).toString(), "is a symbolic link");
            try (var s = Files.list(outside)) {
                assertThat(s).as("nothing written through " + name).isEmpty();
            }
            assertThat(home.resolve("current"))
                    .as("nothing deployed past " + name)
                    .doesNotExist();
        }
    }

    @Test
    @Case("deploy.confined-links")
    void aLinkThePostcmdPlantsAtDotFacsimileIsNotFollowedByWhatComesAfterIt() throws Exception {
        only(deploy(spec(Map.of())));
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        write("etc/shop.conf", "port=2\n");
        // postcmd runs in the release: it swaps the home's .facsimile for a link and fails, so the deploy
        // switches back and logs, through the path it checked before postcmd ran
        String postcmd =
                "cd ../.. && mv .facsimile " + Shell.quote(dir.resolve("moved").toString()) + " && ln -s "
                        + Shell.quote(outside.toString()) + " .facsimile && exit 1";

        NodeResult r = only(deploy(spec(Map.of("postcmd", postcmd))));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        try (var s = Files.list(outside)) {
            assertThat(s).as("nothing written through the link").isEmpty();
        }
    }

    // ---- deploys through the engine

    @Test
    @Case("deploy.no-shared-inodes")
    void deploysRedeploysWithNothingSentAndSendsOnlyTheChangedFile() throws IOException {
        NodeResult first = only(deploy(spec(Map.of())));
        assertThat(first.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(first.filesSent()).isEqualTo(4);
        assertThat(current()).isEqualTo("releases/" + first.release());
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1");
        assertThat(home.resolve("current/lib/quote'd \"file\".txt")).hasContent("odd name");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("current/bin/run it.sh"))))
                .isEqualTo("rwxr-x---");

        NodeResult again = only(deploy(spec(Map.of())));
        assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(again.filesSent()).isZero();
        assertThat(again.bytesSent()).isZero();

        write("etc/shop.conf", "port=2\n");
        NodeResult second = only(deploy(spec(Map.of())));
        assertThat(second.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(second.filesSent()).isEqualTo(1);
        assertThat(second.bytesSent()).isEqualTo(7);
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=2");
        // the unchanged files are copied on the node, not sent, and share no inode with the previous release
        assertThat(Files.isSameFile(
                        home.resolve("releases/" + first.release() + "/lib/static.txt"),
                        home.resolve("releases/" + second.release() + "/lib/static.txt")))
                .isFalse();
        Files.writeString(
                home.resolve("current/lib/static.txt"), "edited in place\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(home.resolve("releases/" + first.release() + "/lib/static.txt"))
                .hasContent("unchanging");
        assertThat(lines)
                .anyMatch(l -> l.startsWith(sshd.hostSpec() + ": deployed " + second.release() + ", 1 files, 7 bytes"));

        // rollback over SSH switches back to the first release
        DeployReport back = engine.rollback(spec(Map.of()), Set.of(), Set.of(), factory(false));
        assertThat(only(back).outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo("releases/" + first.release());
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.stat-digest")
    void aReleaseStagedOverSshCarriesTheDigestItsNodeFindsItListedAs() throws Exception {
        NodeResult first = only(deploy(spec(Map.of())));
        Path release = home.resolve("releases/" + first.release());
        // the quick check of the release as it was staged: the node answers SAME, no listing
        assertThat(quickCheckOnTheNode(release, first.release())).isEqualTo("SAME\n");

        Files.writeString(release.resolve("lib/static.txt"), "edited\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(quickCheckOnTheNode(release, first.release())).isNotEqualTo("SAME\n");
        NodeResult again = only(deploy(spec(Map.of())));
        assertThat(again.reason()).isEqualTo("repaired 1 files");
        assertThat(release.resolve("lib/static.txt")).hasContent("unchanging");
        // a record taken after a repair was compared with no manifest: it has no digest, so the node lists
        assertThat(release.resolve(".facsimile/stat.sha256")).doesNotExist();
        assertThat(quickCheckOnTheNode(release, first.release())).isNotEqualTo("SAME\n");
        assertThat(only(deploy(spec(Map.of()))).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    /** What the node's quick check of {@code release} answers, run here as the transport runs it there. */
    private static String quickCheckOnTheNode(Path release, String id) throws Exception {
        Process p = new ProcessBuilder(
                        "sh", "-c", "cd -P -- " + Shell.quote(release.toString()) + " && " + ListingDigest.command(id))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** How many lines of sshd's log hold {@code what} since the last call for counter {@code i} of {@code seen}. */
    private int since(int[] seen, int i, String what) {
        try {
            int all = (int) sshd.logs().lines().filter(l -> l.contains(what)).count();
            int now = all - seen[i];
            seen[i] = all;
            return now;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aDeployRunsFewProgramsOnTheNode() throws Exception {
        // sshd at DEBUG1 logs every exec request: the node programs a deploy runs, each a shell start
        sshd.close();
        sshd = Sshd.start(
                dir, "counted", List.of(hostKey), userKey, Sshd.freePort(), null, null, List.of("LogLevel DEBUG1"));
        Files.writeString(knownHosts, sshd.knownHostsLine());
        int[] seen = {0, 0};
        java.util.function.IntSupplier execs = () -> since(seen, 0, " request exec ");
        java.util.function.IntSupplier sftps = () -> since(seen, 1, "Starting session: subsystem 'sftp'");

        assertThat(only(deploy(spec(Map.of()))).outcome()).isEqualTo(Outcome.DEPLOYED);
        // the lock; the tar stream with the manifest, unpacked, listed and hashed; the switch with the log's
        // line (no postcmd and no health check: nothing to confirm, no watchdog)
        assertThat(execs.getAsInt()).as("first deploy").isEqualTo(3);
        assertThat(sftps.getAsInt()).as("first deploy: SFTP sessions").isEqualTo(1);
        assertThat(only(deploy(spec(Map.of()))).outcome()).isEqualTo(Outcome.UNCHANGED);
        // the lock, whose program also reads current and checks its release's listing against its digest;
        // no SFTP session
        assertThat(execs.getAsInt()).as("nothing changed").isEqualTo(1);
        assertThat(sftps.getAsInt()).as("nothing changed: SFTP sessions").isZero();
        write("etc/shop.conf", "port=2\n");
        assertThat(only(deploy(spec(Map.of()))).filesSent()).isEqualTo(1);
        // the lock with its look at current; the tar stream, the copies from current, the hashes and the
        // staged listing as one; the switch
        assertThat(execs.getAsInt()).as("one file changed").isEqualTo(3);
        DeploySpec keep3 = spec(Map.of("keep", 3));
        write("etc/shop.conf", "port=3\n");
        assertThat(only(deploy(keep3)).filesSent()).isEqualTo(1);
        execs.getAsInt();
        write("etc/shop.conf", "port=4\n");
        assertThat(only(deploy(keep3)).filesSent()).isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.contains(": recycling release "));
        // the lock; the listing of the release due for pruning; its removals, the tar stream, the hashes and
        // the staged listing as one; the switch
        assertThat(execs.getAsInt())
                .as("one file changed, the oldest release recycled")
                .isEqualTo(4);
        write("etc/shop.conf", "port=5\n");
        assertThat(only(deploy(spec(Map.of("keep", 3, "postcmd", List.of("true")))))
                        .filesSent())
                .isEqualTo(1);
        // with a postcmd the switch is guarded: as above, but the watchdog with the switch, the postcmd, and
        // the confirm with the log's line
        assertThat(execs.getAsInt()).as("one file changed, with a postcmd").isEqualTo(6);
        assertThat(home.resolve(".facsimile")).isDirectoryNotContaining("glob:**/guard-*");
    }

    @Test
    @Case("deploy.recycled-release")
    void theReleaseDueForPruningIsRecycledOnTheNodeKeepingOnlyFilesThatPassItsCheck() throws IOException {
        DeploySpec keep3 = spec(Map.of("keep", 3));
        List<String> ids = new ArrayList<>();
        for (String v : List.of("a", "b", "c")) {
            write("etc/version", v);
            ids.add(only(deploy(keep3)).release());
        }
        Path old = home.resolve("releases/" + ids.get(0));
        Object inode = Files.getAttribute(old.resolve("lib/static.txt"), "unix:ino");
        Files.writeString(old.resolve("etc/shop.conf"), "port=666\n");
        Path outside = Files.writeString(dir.resolve("outside.txt"), "outside\n");
        Files.delete(old.resolve("lib/quote'd \"file\".txt"));
        Files.createSymbolicLink(old.resolve("lib/quote'd \"file\".txt"), outside);
        write("etc/version", "d");

        NodeResult r = only(deploy(keep3));

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(lines).anyMatch(l -> l.contains(": recycling release " + ids.get(0) + ", due for pruning"));
        assertThat(lines).noneMatch(l -> l.contains("differ from the manifest"));
        assertThat(old).doesNotExist();
        Path live = home.resolve("releases/" + r.release());
        assertThat(Files.getAttribute(live.resolve("lib/static.txt"), "unix:ino"))
                .isEqualTo(inode);
        assertThat(live.resolve("etc/shop.conf")).hasContent("port=1");
        assertThat(live.resolve("etc/version")).hasContent("d");
        assertThat(Files.isSymbolicLink(live.resolve("lib/quote'd \"file\".txt")))
                .isFalse();
        assertThat(live.resolve("lib/quote'd \"file\".txt")).hasContent("odd name");
        assertThat(outside).hasContent("outside");
        assertThat(engine.verify(keep3, Set.of(), factory(false)).get(0).drifted())
                .isFalse();
    }

    @Test
    void dryRunAndDiffReadTheNodeAndChangeNothing() throws IOException {
        NodeResult first = only(deploy(spec(Map.of())));
        write("etc/shop.conf", "port=2\n");
        write("etc/new.conf", "fresh\n");
        Files.delete(tree.resolve("lib/static.txt"));

        NodeResult dry = only(engine.deploy(
                DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec(Map.of()))
                        .withDryRun(true),
                factory(false)));
        assertThat(dry.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(dry.filesSent()).isZero();

        List<io.facsimile.core.deploy.NodeDiff> diffs =
                engine.diff(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec(Map.of())), factory(false));
        io.facsimile.core.deploy.NodeDiff diff = diffs.get(0);
        assertThat(diff.added()).containsExactly("etc/new.conf");
        assertThat(diff.changed()).containsExactly("etc/shop.conf");
        assertThat(diff.removed()).containsExactly("lib/static.txt");
        assertThat(diff.text()).contains("-port=1", "+port=2", "+fresh", "-unchanging");

        assertThat(current()).isEqualTo("releases/" + first.release());
        try (var releases = Files.list(home.resolve("releases"))) {
            assertThat(releases).hasSize(1);
        }
    }

    @Test
    @Case("deploy.ssh-faults")
    void aSessionDroppedAsTheReleaseIsSentFailsTheNodeWhichStaysOnItsReleaseAndTheNextDeployCompletes()
            throws Exception {
        NodeResult first = only(deploy(spec(Map.of())));
        assertThat(first.outcome()).isEqualTo(Outcome.DEPLOYED);
        write("etc/shop.conf", "port=2\n");
        for (int i = 0; i < 500; i++) {
            write("data/f" + i + ".txt", ("file " + i + "\n").repeat(100));
        }
        DeployEngine cutting = TestEngines.engine(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                lines.add(node.name() + ": " + message);
                if (message.startsWith("sending ")) {
                    try {
                        sshd.dropSessions();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });

        NodeResult cut =
                only(cutting.deploy(DeployRequest.of(ReleaseSource.scan(tree, "2.0"), spec(Map.of())), factory(false)));

        assertThat(cut.outcome()).as(cut.reason()).isEqualTo(Outcome.FAILED);
        // lost during a file operation or during a command on the node: either says so
        assertThat(cut.reason()).startsWith("the connection to 127.0.0.1:" + sshd.port + " was lost");
        assertThat(lines).anyMatch(line -> line.contains("sending 501 files"));
        assertThat(current()).as("still on the release that was live").isEqualTo("releases/" + first.release());
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1");
        assertThat(engine.verify(spec(Map.of()), Set.of(), factory(false))
                        .get(0)
                        .drifted())
                .as("what is live is still exactly the first release")
                .isFalse();

        NodeResult again =
                only(engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "2.0"), spec(Map.of())), factory(false)));
        assertThat(again.outcome()).as(again.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=2");
        assertThat(home.resolve("current/data/f499.txt")).hasContent(("file 499\n").repeat(100));
        try (Stream<Path> releases = Files.list(home.resolve("releases"))) {
            assertThat(releases.map(p -> p.getFileName().toString()))
                    .as("the cut deploy's staged release was cleared away")
                    .noneMatch(name -> name.endsWith(".partial"));
        }
    }

    @Test
    @Case("deploy.drift-repaired")
    void verifyFindsDriftAfterAFileIsEditedOnTheNode() throws IOException {
        only(deploy(spec(Map.of())));
        List<NodeDrift> clean = engine.verify(spec(Map.of()), Set.of(), factory(false));
        assertThat(clean).singleElement().satisfies(d -> assertThat(d.drifted()).isFalse());

        Path conf = home.resolve("current/etc/shop.conf");
        Files.writeString(conf, "port=666\n");
        Files.delete(home.resolve("current/lib/static.txt"));
        Files.writeString(home.resolve("current/extra.txt"), "dropped here\n");
        NodeDrift drift =
                engine.verify(spec(Map.of()), Set.of(), factory(false)).get(0);
        assertThat(drift.drifted()).isTrue();
        assertThat(drift.changed()).containsExactly("etc/shop.conf");
        assertThat(drift.missing()).containsExactly("lib/static.txt");
        assertThat(drift.extra()).containsExactly("extra.txt");

        // the fix verify advises: deploy again repairs the node from this build
        lines.clear();
        NodeResult repaired = only(deploy(spec(Map.of())));
        assertThat(repaired.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(repaired.reason()).isEqualTo("repaired 3 files");
        assertThat(lines).contains(sshd.hostSpec() + ": repaired 3 files on " + sshd.hostSpec());
        assertThat(conf).hasContent("port=1");
        assertThat(home.resolve("current/extra.txt")).doesNotExist();
        assertThat(engine.verify(spec(Map.of()), Set.of(), factory(false))
                        .get(0)
                        .drifted())
                .isFalse();
        NodeResult again = only(deploy(spec(Map.of())));
        assertThat(again.outcome())
                .as("the quick check of the record made over SSH")
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(again.bytesSent()).isZero();
    }

    @Test
    void postcmdRunsInTheReleaseAndAFailureSwitchesBack() throws IOException {
        NodeResult first = only(deploy(spec(Map.of("postcmd", List.of("cat etc/shop.conf; echo \"in $(pwd)\"")))));
        assertThat(first.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(lines).anyMatch(l -> l.contains("> port=1") || l.contains("port=1\nin "));
        assertThat(String.join("\n", lines)).contains("in " + home + "/releases/" + first.release());

        write("etc/shop.conf", "port=2\n");
        NodeResult failed = only(deploy(spec(Map.of("postcmd", List.of("echo broken; exit 4")))));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).contains("exited with 4", "current switched back to " + first.release());
        assertThat(lines).anyMatch(l -> l.contains("broken"));
        assertThat(current()).isEqualTo("releases/" + first.release());
    }

    @Test
    void syncStrategyMirrorsIntoHomeAndGuardsMassDeletion() throws IOException {
        NodeResult first = only(deploy(spec(Map.of("strategy", "sync"))));
        assertThat(first.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("etc/shop.conf")).hasContent("port=1");
        Files.delete(tree.resolve("lib/static.txt"));
        Files.delete(tree.resolve("lib/quote'd \"file\".txt"));
        NodeResult guarded = only(deploy(spec(Map.of("strategy", "sync", "maxDelete", 1))));
        assertThat(guarded.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(guarded.reason()).contains("more than deploy.maxDelete (1)");
        assertThat(home.resolve("lib/static.txt")).exists();
        NodeResult second = only(deploy(spec(Map.of("strategy", "sync"))));
        assertThat(second.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(second.filesSent()).isZero();
        assertThat(home.resolve("lib/static.txt")).doesNotExist();
    }

    // ---- host keys

    @Test
    void unknownHostIsRefusedThenAcceptedAndRecordedWithTheFlag() throws IOException {
        Files.delete(knownHosts);
        NodeResult refused = only(deploy(spec(Map.of())));
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.reason()).contains("is unknown", "SHA256:", "facsimile.acceptNewHostKeys");
        assertThat(home).doesNotExist();

        NodeResult accepted =
                only(engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec(Map.of())), factory(true)));
        assertThat(accepted.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(Files.readString(knownHosts)).contains("[127.0.0.1]:" + sshd.port, "ecdsa-sha2-nistp256");
        // recorded: a strict deploy now connects
        assertThat(only(deploy(spec(Map.of()))).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    @Case("deploy.ssh-faults")
    void changedHostKeyIsRefusedEvenWithTheFlagAndNothingIsSent() throws Exception {
        int port = sshd.port;
        sshd.close();
        sshd = Sshd.start(dir, "a2", otherHostKey, userKey, port, null, null);
        String expected = fingerprint(hostKey);
        String offered = fingerprint(otherHostKey);
        for (boolean acceptNew : List.of(false, true)) {
            NodeResult r = only(engine.deploy(
                    DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec(Map.of())), factory(acceptNew)));
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.reason()).contains("CHANGED", expected, offered, "Nothing was sent");
            assertThat(r.filesSent()).isZero();
        }
        assertThat(home).doesNotExist();
        assertThat(sshd.logs()).as("no authentication was even tried").doesNotContain("Accepted", "Failed");
        assertThat(Files.readString(knownHosts)).isEqualTo("[127.0.0.1]:" + port + " " + publicKey(hostKey) + "\n");
    }

    @Test
    void hashedKnownHostsEntriesAreRead() throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", knownHosts.toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(knownHosts)).startsWith("|1|").doesNotContain("127.0.0.1");
        assertThat(only(deploy(spec(Map.of()))).outcome()).isEqualTo(Outcome.DEPLOYED);
    }

    @Test
    void ed25519KeysWorkAndTheKnownKeyTypeIsAskedForFirst() throws Exception {
        // OpenSSH's defaults: ed25519 keys, and a server with several host keys of which
        // known_hosts lists only the ed25519 one
        Path edHost = Sshd.keygen(dir.resolve("ed/host"), "ed25519");
        Path edUser = Sshd.keygen(dir.resolve("ed/id_ed25519"), "ed25519");
        Path rsaHost = Sshd.keygen(dir.resolve("rsa/host"), "rsa");
        int port = sshd.port;
        sshd.close();
        sshd = Sshd.start(dir, "ed", List.of(edHost, hostKey, rsaHost), edUser, port, null, null);
        Files.writeString(knownHosts, sshd.knownHostsLine());
        assertThat(sshd.knownHostsLine()).contains("ssh-ed25519");
        SshTransportFactory f = new SshTransportFactory(
                home.toString(), new SshCredentials("root", null, edUser, null), new HostKeyPolicy(knownHosts, false));
        NodeResult r = only(engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec(Map.of())), f));
        assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.DEPLOYED);

        // known_hosts with the rsa key only: rsa is asked for, and the node is known as well
        String[] rsa =
                Files.readString(rsaHost.resolveSibling("host.pub")).trim().split(" ");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + rsa[0] + " " + rsa[1] + "\n");
        try (Transport t = f.open(node())) {
            assertThat(t.exists("current")).isTrue();
        }
    }

    @Test
    void aRunReadsItsPrivateKeyOnceForAllItsNodes() throws Exception {
        SshTransportFactory f = factory(false);
        try (Transport t = f.open(node())) {
            assertThat(t.exists("current")).isFalse();
        }
        byte[] key = Files.readAllBytes(userKey);
        Files.writeString(userKey, "not a key any more\n", StandardCharsets.UTF_8);
        try {
            // the run's next node logs in with the key as read for the first; a new run reads the file again
            try (Transport t = f.open(node())) {
                assertThat(t.exists("current")).isFalse();
            }
            assertThatThrownBy(() -> factory(false).open(node()))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("the private key " + userKey);
        } finally {
            Files.write(userKey, key);
        }
    }

    @Test
    void aKeyThatCannotBeReadIsTriedOncePerRun() throws Exception {
        // a copy of the class's user key (the node authorizes it), with a passphrase
        Path key = dir.resolve("encrypted/id_ecdsa");
        Files.createDirectories(key.getParent());
        Files.copy(userKey, key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        passphrase(key, "", "right");
        SshTransportFactory f = new SshTransportFactory(
                home.toString(), new SshCredentials("root", null, key, "wrong"), new HostKeyPolicy(knownHosts, false));
        assertThatThrownBy(() -> f.open(node()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("cannot read the private key " + key + " for " + node().name());

        // "wrong" opens the key now; the run, which tried it once, tells its next node the same without
        // another key derivation, and a new run reads the file again
        passphrase(key, "right", "wrong");
        assertThatThrownBy(() -> f.open(node())).hasMessageContaining("cannot read the private key " + key);
        SshTransportFactory next = new SshTransportFactory(
                home.toString(), new SshCredentials("root", null, key, "wrong"), new HostKeyPolicy(knownHosts, false));
        try (Transport t = next.open(node())) {
            assertThat(t.exists("current")).isFalse();
        }
    }

    /** Changes the passphrase of an OpenSSH private key. */
    private static void passphrase(Path key, String from, String to) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-p", "-P", from, "-N", to, "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    @Case("deploy.authentication-failed")
    void aRefusedLoginIsANodeFailureNamingHostUserWhereItCameFromAndTheKeysTried() throws Exception {
        Path stranger = Sshd.keygen(dir.resolve("stranger/id_stranger"));
        SshTransportFactory f = new SshTransportFactory(
                home.toString(),
                new SshCredentials("root", null, stranger, null),
                "deploy.user",
                new HostKeyPolicy(knownHosts, false));

        NodeResult node = only(engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec(Map.of())), f));

        assertThat(node.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(node.reason())
                .contains(
                        "authentication failed",
                        "root@127.0.0.1:" + sshd.port,
                        "user root from deploy.user",
                        "tried " + stranger)
                .doesNotContain(
                        Files.readString(stranger).lines().skip(1).findFirst().orElseThrow());
        // the user's to fix (settings.xml, authorized_keys), not a broken run
        assertThat(node.broken()).isFalse();
        assertThat(node.failure().isUserError()).isTrue();
        assertThat(Files.exists(home.resolve("current"))).isFalse();
    }

    @Test
    void credentialsNeverShowSecrets() {
        assertThat(new SshCredentials("u", "pw-123", Path.of("k"), "pp-456").toString())
                .doesNotContain("pw-123", "pp-456")
                .contains("****");
    }

    static String publicKey(Path key) throws IOException {
        String[] parts = Files.readString(key.resolveSibling(key.getFileName() + ".pub"))
                .trim()
                .split(" ");
        return parts[0] + " " + parts[1];
    }

    static String fingerprint(Path key) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.split(" ")[1];
    }
}

package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine with the local transport, on real files. */
class LocalDeployTest extends LocalDeployFixture {

    @BeforeEach
    void setUp() {
        write("etc/shop.conf", "port=1\npassword=s3cret\n");
        write("bin/run.sh", "#!/bin/sh\necho run\n");
        write("lib/static.txt", "unchanging\n");
    }

    // ---- helpers

    DeployReport deploy(DeploySpec spec) {
        return deploy(spec, local());
    }

    DeployReport deploy(DeploySpec spec, TransportFactory transports) {
        return engine.deploy(DeployRequest.of(source("1.0"), spec).withSecrets(Set.of("s3cret")), transports);
    }

    String current() throws IOException {
        return Files.readSymbolicLink(home.resolve("current")).toString();
    }

    List<String> log() throws IOException {
        return Files.readAllLines(home.resolve(".facsimile/deploy-log.jsonl"), StandardCharsets.UTF_8);
    }

    /** The log's last line, read once: a watchdog may append while the test looks. */
    String lastLogLine() throws IOException {
        List<String> lines = log();
        return lines.get(lines.size() - 1);
    }

    // ---- releases

    @Test
    void firstDeployCreatesAReleaseAndCurrent() throws IOException {
        NodeResult r = only(deploy(DeploySpec.local("x")));
        String id = DeployPlanner.releaseId("1.0", Manifest.scan(tree));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.release()).isEqualTo(id);
        assertThat(r.filesSent()).isEqualTo(3);
        assertThat(current()).isEqualTo("releases/" + id);
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1\npassword=s3cret");
        assertThat(Manifest.read(home.resolve("current/.facsimile/manifest.json"))
                        .treeHash())
                .isEqualTo(Manifest.scan(tree).treeHash());
        assertThat(log()).singleElement().asString().contains("\"outcome\":\"ok\"", "\"who\":\"tester\"", id);
        assertThat(lines).anyMatch(l -> l.startsWith("local: deployed " + id + ", 3 files"));
    }

    @Test
    void aSwitchThatFailsLeavesCurrentAsItWas() throws IOException {
        // current is an operator's directory, not a link: renaming over it fails (no watchdog: no postcmd)
        aSwitchThatFailsLeavesCurrentAsItWas(DeploySpec.local("x"));
    }

    @Test
    void aSwitchThatFailsAfterTheWatchdogStartedStopsItAndLeavesCurrentAsItWas() throws IOException {
        // with a postcmd the watchdog starts first, and is stopped again
        aSwitchThatFailsLeavesCurrentAsItWas(spec(Map.of("postcmd", "true")));
    }

    private void aSwitchThatFailsLeavesCurrentAsItWas(DeploySpec spec) throws IOException {
        Path held = TestFiles.writeString(home.resolve("current/keep.txt"), "mine\n");
        NodeResult r = only(deploy(spec));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("cannot switch current to release");
        assertThat(held).hasContent("mine");
        assertThat(home.resolve("current")).isDirectory();
        try (var s = Files.list(home.resolve(".facsimile"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("deploy-log.jsonl");
        }
        try (var s = Files.list(home)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("current.tmp"));
        }
        assertThat(log()).singleElement().asString().contains("\"outcome\":\"failed\"");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.switch-timeout-armed")
    void aSwitchThatDoesNotAnswerInTimeLeavesItsWatchdogArmedWhichSwitchesBack() throws Exception {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        // the node switches, but its answer comes too late: as a command past its bound, left running
        NodeResult r = deployWhoseSwitchAnswers(r0 -> new ExecResult(-1, r0.output(), true));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("did not answer within 30 s; its watchdog stays armed");
        assertWatchdogSwitchesBackTo(first);
    }

    /** A deploy with a postcmd and {@code confirm: 1s} whose switch happens, and then answers as {@code answer} makes it. */
    private NodeResult deployWhoseSwitchAnswers(java.util.function.UnaryOperator<ExecResult> answer) {
        TransportFactory answering = node -> new ForwardingTransport(new LocalTransport(node, home), 0) {
            @Override
            public ExecResult exec(String dir, String command, Duration timeout) {
                ExecResult r = super.exec(dir, command);
                return command.contains("nohup") ? answer.apply(r) : r;
            }
        };
        return only(engine.deploy(
                DeployRequest.of(source("1.0"), spec(Map.of("postcmd", "true", "timeouts", Map.of("confirm", "1s")))),
                answering));
    }

    /** Waits for the watchdog, left armed, to switch back to {@code first} and then append its line. */
    private void assertWatchdogSwitchesBackTo(String first) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while ((!current().endsWith(first) || !lastLogLine().contains("\"outcome\":\"reverted\""))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(current()).as("the watchdog switched back").endsWith(first);
        assertThat(lastLogLine()).contains("\"outcome\":\"reverted\"");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.switch-timeout-armed")
    void aSwitchKilledAfterItSwitchedLeavesItsWatchdogArmedWhichSwitchesBack() throws Exception {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        // the node switches, then its parent shell is killed: exit 137, neither of the command's own refusals
        NodeResult r = deployWhoseSwitchAnswers(r0 -> new ExecResult(137, "Killed"));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("ended with exit 137 (Killed); its watchdog stays armed");
        assertWatchdogSwitchesBackTo(first);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.switch-back-fails")
    void aSwitchBackThatFailsLeavesTheWatchdogArmedWhichSwitchesBack() throws Exception {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        // postcmd fails; then every way of switching back fails once the postcmd has run (a lost connection)
        java.util.concurrent.atomic.AtomicBoolean postcmdRan = new java.util.concurrent.atomic.AtomicBoolean();
        TransportFactory cut = node -> new ForwardingTransport(new LocalTransport(node, home), 0) {
            @Override
            public ExecResult exec(String dir, String command, Duration timeout) {
                if (postcmdRan.get()) {
                    throw DeployException.broken("injected: the connection was lost", null);
                }
                ExecResult r = super.exec(dir, command, timeout);
                postcmdRan.compareAndSet(false, command.contains("exit 7"));
                return r;
            }

            @Override
            public void switchCurrent(String link, String target) {
                if (postcmdRan.get()) {
                    throw DeployException.broken("injected: the connection was lost", null);
                }
                super.switchCurrent(link, target);
            }
        };

        NodeResult r = only(engine.deploy(
                DeployRequest.of(source("1.0"), spec(Map.of("postcmd", "exit 7", "timeouts", Map.of("confirm", "1s")))),
                cut));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("exit 7", "its watchdog switches current back");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!current().endsWith(first) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(current()).as("the watchdog, still armed, switched back").endsWith(first);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.switch-back-fails")
    void aSwitchBackThatFailsOnTheNodeGivesTheTokenBackForTheNextRunToSwitchBack() throws Exception {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        // the watchdog's switch back fails while home/FULL exists (a full disk), as the script runs it
        TransportFactory full = node -> new ForwardingTransport(new LocalTransport(node, home), 0) {
            @Override
            public void writeFile(String path, byte[] content) {
                String text = new String(content, StandardCharsets.UTF_8);
                super.writeFile(
                        path,
                        path.endsWith(".sh")
                                ? text.replace("ln -s ", "[ ! -e FULL ] && ln -s ")
                                        .getBytes(StandardCharsets.UTF_8)
                                : content);
            }
        };
        Files.writeString(home.resolve("FULL"), "");

        NodeResult r = only(engine.deploy(
                DeployRequest.of(
                        source("1.0"), spec(Map.of("postcmd", "exit 7", "timeouts", Map.of("confirm", "10m")))),
                full));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("exit 7", "switching back failed", "its watchdog switches current back");
        String failed = current();
        assertThat(failed).doesNotEndWith(first);
        try (var guards = Files.list(home.resolve(".facsimile"))) {
            assertThat(guards.map(p -> p.getFileName().toString()))
                    .as("the token given back")
                    .anyMatch(name -> name.startsWith("guard-") && name.endsWith(".armed"));
        }
        // the disk has room again: the next run fires the watchdog, which switches back
        Files.delete(home.resolve("FULL"));
        NodeResult back = only(rollback(DeploySpec.local("x"), request -> request));
        assertThat(back.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).endsWith(first);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.unconfirmed-switch")
    void aDryRunRollbackSkipsATokenThatIsALinkAsTheRealRunDoes() throws Exception {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        String second = only(deploy(DeploySpec.local("x"))).release();
        Path outside = Files.writeString(dir.resolve("outside"), "9.9-planted\n");
        Files.createSymbolicLink(home.resolve(".facsimile/guard-zz.armed"), outside);

        NodeResult dry = only(rollback(DeploySpec.local("x"), r -> r.withDryRun(true)));

        assertThat(dry.outcome()).as(dry.reason()).isEqualTo(Outcome.PLANNED);
        assertThat(dry.reason())
                .contains("would roll back " + second + " -> " + first)
                .doesNotContain("9.9-planted");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.repair-verified")
    void aRepairFromATreeThatChangedSinceItsManifestIsRefusedBeforeAnythingIsSent() throws IOException {
        write("etc/app.conf", "port=8080\n");
        ReleaseSource built = source("1.0");
        String id = only(engine.deploy(DeployRequest.of(built, DeploySpec.local("x")), local()))
                .release();
        Files.writeString(home.resolve("current/etc/app.conf"), "port=9999\n"); // drift on the node
        write("etc/app.conf", "port=8081\n"); // the tree changed after its manifest was taken, same size

        NodeResult r = only(engine.deploy(DeployRequest.of(built, DeploySpec.local("x")), local()));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason())
                .contains("etc/app.conf does not hold what the manifest says", "Render the instance again");
        assertThat(current()).isEqualTo("releases/" + id);
        assertThat(home.resolve("current/etc/app.conf")).as("nothing was sent").hasContent("port=9999");
    }

    @Test
    void identicalRedeployIsANoOpThatWritesNothing() throws IOException {
        deploy(DeploySpec.local("x"));
        FileTime linkTime = Files.getLastModifiedTime(home.resolve("current"), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        List<String> logBefore = log();
        AtomicReference<ForwardingTransport> counting = new AtomicReference<>();
        TransportFactory factory = node -> {
            counting.set(new ForwardingTransport(new LocalTransport(node, home), 0));
            return counting.get();
        };
        NodeResult r = only(deploy(DeploySpec.local("x"), factory));
        assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(r.reason()).isEqualTo("already current");
        assertThat(counting.get().uploads).hasValue(0);
        assertThat(counting.get().writes).hasValue(0);
        assertThat(counting.get().copies).hasValue(0);
        // the release's name is the hash of its manifest: its 10,000-entry copy need not be read back
        assertThat(counting.get().reads).noneMatch(path -> path.endsWith(Layout.RELEASE_MANIFEST));
        // listed as its record's digest says: the 10,000-entry record itself is not read either
        assertThat(counting.get().reads)
                .anyMatch(path -> path.endsWith(Layout.STAT_DIGEST))
                .noneMatch(path -> path.endsWith(Layout.STAT_RECORD));
        assertThat(log()).isEqualTo(logBefore);
        assertThat(Files.getLastModifiedTime(home.resolve("current"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(linkTime);
    }

    @Test
    void aRenderingWhoseTreeHashWasRecordedHasItsManifestParsedOnlyWhenTheReleaseIsNotCurrent() throws IOException {
        Path releaseDir = dir.resolve("release");
        Files.write(releaseDir.resolve("manifest.json"), Manifest.scan(tree).toJson());
        ReleaseSource first = ReleaseSource.of(releaseDir, "1.0");
        assertThat(first.recordedTreeHash()).isEmpty();
        assertThat(first.parsed()).isTrue();
        String id = only(engine.deploy(DeployRequest.of(first, DeploySpec.local("x")), local()))
                .release();

        ReleaseSource again = ReleaseSource.of(releaseDir, "1.0");
        assertThat(again.recordedTreeHash()).contains(first.manifest().treeHash());
        NodeResult unchanged = only(engine.deploy(DeployRequest.of(again, DeploySpec.local("x")), local()));
        assertThat(unchanged.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(unchanged.release()).isEqualTo(id);
        assertThat(again.parsed()).isFalse();

        // a drifted release needs the entries: parsed then, and repaired from them
        Files.writeString(home.resolve("current/etc/shop.conf"), "x", java.nio.file.StandardOpenOption.APPEND);
        ReleaseSource drifted = ReleaseSource.of(releaseDir, "1.0");
        NodeResult repaired = only(engine.deploy(DeployRequest.of(drifted, DeploySpec.local("x")), local()));
        assertThat(repaired.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(repaired.reason()).isEqualTo("repaired 1 files");
        assertThat(drifted.parsed()).isTrue();
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1\npassword=s3cret");
    }

    @Test
    void changingOneFileUploadsOnlyThatFileAndCopiesTheRestOnTheNode() throws IOException {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/shop.conf", "port=2\npassword=s3cret\n");
        AtomicReference<ForwardingTransport> counting = new AtomicReference<>();
        NodeResult r = only(deploy(DeploySpec.local("x"), node -> {
            counting.set(new ForwardingTransport(new LocalTransport(node, home), 0));
            return counting.get();
        }));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.release()).isNotEqualTo(first);
        assertThat(r.filesSent()).isEqualTo(1);
        assertThat(counting.get().uploads).hasValue(1);
        assertThat(counting.get().copies).hasValue(2);
        assertThat(current()).isEqualTo("releases/" + r.release());
        Object oldInode = Files.getAttribute(home.resolve("releases/" + first + "/lib/static.txt"), "unix:ino");
        Object newInode = Files.getAttribute(home.resolve("releases/" + r.release() + "/lib/static.txt"), "unix:ino");
        assertThat(newInode).isNotEqualTo(oldInode);
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=2\npassword=s3cret");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.stat-digest")
    void aNodeThatFindsTheReleaseAsStagedIsTakenAtItsWordWithoutAListingUnlessByContent() throws IOException {
        String dir = "releases/" + only(deploy(DeploySpec.local("x"))).release();
        Transport asStaged = new ForwardingTransport(new LocalTransport(Node.LOCAL, home), 0) {
            @Override
            public java.util.Optional<Map<String, FileStat>> statUnlessAsStaged(String d, String id) {
                return java.util.Optional.empty();
            }

            @Override
            public Map<String, FileStat> stat(String d) {
                throw new IllegalStateException("listed");
            }
        };

        ReleaseCheck.Drift drift = new ReleaseCheck()
                .check(
                        asStaged,
                        dir,
                        () -> {
                            throw new IllegalStateException("the manifest was made");
                        },
                        false);

        assertThat(drift.clean()).isTrue();
        // a check by content lists and reads, whatever the node says of its listing
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ReleaseCheck().check(asStaged, dir, Manifest.scan(tree), true))
                .hasMessage("listed");
    }

    @Test
    void aCurrentReleaseWhoseManifestIsDamagedIsNotCopiedFromAndTheRedeployRepairsIt() throws IOException {
        String first = only(deploy(DeploySpec.local("x"))).release();
        Files.writeString(home.resolve("releases/" + first + "/.facsimile/manifest.json"), "{\"files\": [");
        write("etc/shop.conf", "port=2\npassword=s3cret\n");

        NodeResult r = only(deploy(DeploySpec.local("x")));

        // it used to fail, and every redeploy after it: the node's records are damaged
        assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.filesSent()).isEqualTo(Manifest.scan(tree).files().size());
        assertThat(lines)
                .anyMatch(l -> l.contains(".facsimile/manifest.json is not a manifest: nothing is copied"
                        + " from release " + first + ", this build sends every file"));
        assertThat(current()).isEqualTo("releases/" + r.release());
        assertThat(engine.verify(DeploySpec.local("x"), java.util.Set.of(), LocalTransport.factory(home))
                        .get(0)
                        .drifted())
                .isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.no-shared-inodes")
    void anInPlaceEditOfALiveFileChangesNoOtherReleaseAndRollbackDoesNotActivateIt() throws IOException {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "2");
        only(deploy(DeploySpec.local("x")));
        Files.writeString(home.resolve("current/lib/static.txt"), "x\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(home.resolve("releases/" + first + "/lib/static.txt")).hasContent("unchanging");
        assertThat(only(engine.rollback(DeploySpec.local("x"), Set.of(), Set.of(), LocalTransport.factory(home)))
                        .outcome())
                .isEqualTo(Outcome.ROLLED_BACK);
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
    }

    @Test
    void aMovedFileIsCopiedOnTheNodeNotSent() throws IOException {
        only(deploy(DeploySpec.local("x")));
        Files.move(tree.resolve("lib/static.txt"), tree.resolve("etc/moved.txt"));
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.filesSent()).isZero();
        assertThat(home.resolve("current/etc/moved.txt")).hasContent("unchanging");
        assertThat(home.resolve("current/.facsimile/moved")).doesNotExist();
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    void modesAreKept() throws IOException {
        Files.setPosixFilePermissions(
                tree.resolve("bin/run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        deploy(DeploySpec.local("x"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(home.resolve("current/bin/run.sh"))))
                .isEqualTo("rwxr-x---");
    }

    @Test
    void pruningKeepsTheNewestAndNeverCurrentOrTheLastGood() throws IOException {
        DeploySpec keep2 = spec(Map.of("keep", 2));
        List<String> ids = new ArrayList<>();
        for (String v : List.of("a", "b", "c")) {
            write("etc/version", v);
            ids.add(only(deploy(keep2)).release());
        }
        assertThat(releases()).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        assertThat(only(engine.rollback(keep2, Set.of(), Set.of(), LocalTransport.factory(home)))
                        .outcome())
                .isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).endsWith(ids.get(1));
        // A failing deploy now: current goes back to b; c (the last good deploy) must survive pruning too.
        write("etc/version", "d");
        NodeResult failed = only(deploy(spec(Map.of("keep", 2, "postcmd", "exit 1"))));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(current()).endsWith(ids.get(1));
        assertThat(releases()).containsExactlyInAnyOrder(ids.get(1), ids.get(2), failed.release());
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.prune-foreign")
    void pruneRemovesOnlyRecordedReleasesAndNamesTheRestOnce() throws IOException {
        Files.createDirectories(home.resolve("releases/backup-before-migration"));
        Files.writeString(home.resolve("releases/backup-before-migration/dump.sql"), "data\n");
        Files.writeString(home.resolve("releases/README.txt"), "do not delete\n");
        // an operator's name that ends as a staging directory's does, and one a killed deploy left
        Files.createDirectories(home.resolve("releases/pre-migration.partial"));
        Files.writeString(home.resolve("releases/pre-migration.partial/dump.sql"), "data\n");
        Files.createDirectories(home.resolve("releases/0.9-0123456789ab.partial/etc"));
        DeploySpec keep1 = spec(Map.of("keep", 1));
        List<String> ids = new ArrayList<>();
        for (String v : List.of("a", "b", "c")) {
            write("etc/version", v);
            ids.add(only(deploy(keep1)).release());
        }
        // current and the release rollback would go to stay whatever keep says; the first is pruned
        assertThat(releases())
                .containsExactlyInAnyOrder(
                        "README.txt", "backup-before-migration", "pre-migration.partial", ids.get(1), ids.get(2));
        assertThat(home.resolve("releases/backup-before-migration/dump.sql")).hasContent("data");
        assertThat(home.resolve("releases/pre-migration.partial/dump.sql")).hasContent("data");
        assertThat(lines.stream().filter(l -> l.startsWith("warning: not pruning 3 entries")))
                .hasSize(2) // once per prune that had something to remove
                .allMatch(l -> l.contains("[README.txt, backup-before-migration, pre-migration.partial]"));
    }

    @Test
    void rollbackSwitchesToThePreviousGoodReleaseAndWalksBack() throws IOException {
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        String b = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "c");
        only(deploy(DeploySpec.local("x")));
        TransportFactory local = LocalTransport.factory(home);
        NodeResult back = only(engine.rollback(DeploySpec.local("x"), Set.of(), Set.of(), local));
        assertThat(back.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo("releases/" + b);
        assertThat(only(engine.rollback(DeploySpec.local("x"), Set.of(), Set.of(), local))
                        .release())
                .isEqualTo(a);
        assertThat(current()).isEqualTo("releases/" + a);
        assertThat(log()).last().asString().contains("\"outcome\":\"rollback\"", a);
    }

    DeployReport rollback(DeploySpec spec, java.util.function.UnaryOperator<DeployRequest> options) {
        return engine.rollback(
                options.apply(DeployRequest.onNodes(spec).withSecrets(Set.of("s3cret"))), LocalTransport.factory(home));
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.rollback-checked")
    void rollbackRepairsADriftedTargetFromContentStillOnTheNode() throws IOException {
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        String b = only(deploy(DeploySpec.local("x"))).release();
        Files.writeString(
                home.resolve("releases/" + a + "/lib/static.txt"), "x\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(home.resolve("releases/" + a + "/bin/run.sh"));
        lines.clear();
        NodeResult r = only(rollback(DeploySpec.local("x"), q -> q));
        assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo("releases/" + a);
        assertThat(lines).contains("repaired 2 files on local from release " + b);
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
        assertThat(home.resolve("current/bin/run.sh")).hasContent("#!/bin/sh\necho run");
        assertThat(verify().drifted()).isFalse();
    }

    /**
     * Releases a then b deployed, and a's {@code etc/version} deleted since, whose content b does not hold:
     * a rollback target that cannot be repaired from the node. Returns both ids, a first.
     */
    private List<String> deployedAfterARollbackTargetLostAFile() throws IOException {
        write("etc/version", "a");
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        String b = only(deploy(DeploySpec.local("x"))).release();
        Files.delete(home.resolve("releases/" + a + "/etc/version"));
        return List.of(a, b);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.rollback-checked")
    void rollbackRefusesATargetWhoseGoodContentIsGoneUnlessForced() throws IOException {
        List<String> ids = deployedAfterARollbackTargetLostAFile();
        String a = ids.get(0);
        String b = ids.get(1);
        NodeResult refused = only(rollback(DeploySpec.local("x"), q -> q));
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.reason())
                .contains("not rolling back " + b + " -> " + a, "[etc/version]", "-Dfacsimile.force");
        assertThat(current()).isEqualTo("releases/" + b);
        lines.clear();
        NodeResult forced = only(rollback(DeploySpec.local("x"), q -> q.withForce(true)));
        assertThat(forced.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo("releases/" + a);
        assertThat(lines).anyMatch(l -> l.startsWith("warning: switching to release " + a + " although"));
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.rollback-checked")
    void aForcedRollbackWhosePostcmdFailsSwitchesBackAndLogsTheFailure() throws IOException {
        List<String> ids = deployedAfterARollbackTargetLostAFile();
        String a = ids.get(0);
        String b = ids.get(1);

        NodeResult forced = only(rollback(spec(Map.of("postcmd", "exit 3")), q -> q.withForce(true)));

        assertThat(forced.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(current()).isEqualTo("releases/" + b);
        assertThat(lastLogLine()).contains("\"release\":\"" + a + "\"").contains("\"outcome\":\"failed\"");
        assertThat(log()).noneMatch(l -> l.contains("\"outcome\":\"rollback\""));
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.rollback-checked")
    void rollbackDryRunPrintsFromToAndWhatDiffersAndChangesNothing() throws IOException {
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        String b = only(deploy(DeploySpec.local("x"))).release();
        Files.delete(home.resolve("releases/" + a + "/lib/static.txt"));
        List<String> logBefore = log();
        NodeResult r = only(rollback(DeploySpec.local("x"), q -> q.withDryRun(true)));
        assertThat(r.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(r.reason()).contains("would roll back " + b + " -> " + a, "1 missing [lib/static.txt]");
        assertThat(current()).isEqualTo("releases/" + b);
        assertThat(log()).isEqualTo(logBefore);
        assertThat(home.resolve("releases/" + a + "/lib/static.txt")).doesNotExist();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.rollback-checked")
    void aFailingPostcmdAfterARollbackSwitchesBack() throws IOException {
        only(deploy(DeploySpec.local("x")));
        write("etc/version", "b");
        String b = only(deploy(DeploySpec.local("x"))).release();
        NodeResult r = only(rollback(spec(Map.of("postcmd", "echo no; exit 3")), q -> q));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("exited with 3", "current switched back to " + b);
        assertThat(current()).isEqualTo("releases/" + b);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.rollback-checked")
    void aRollbackIsGuardedAsADeployIsItsHealthCheckFailingSwitchesBack() throws IOException {
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        String b = only(deploy(DeploySpec.local("x"))).release();

        NodeResult r = only(rollback(spec(Map.of("healthcheck", "echo unhealthy; exit 4")), q -> q));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("rolled back to " + a + ", but", "current switched back to " + b);
        assertThat(current()).isEqualTo("releases/" + b);
        assertThat(lastLogLine()).contains("\"release\":\"" + a + "\"").contains("\"outcome\":\"failed\"");
        try (var s = Files.list(home.resolve(".facsimile"))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .as("the watchdog's files")
                    .containsExactly("deploy-log.jsonl");
        }

        NodeResult ok = only(rollback(spec(Map.of("healthcheck", "true")), q -> q));
        assertThat(ok.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(current()).isEqualTo("releases/" + a);
        assertThat(lastLogLine()).contains("\"outcome\":\"rollback\"");
    }

    @Test
    void rollbackWithoutAnEarlierReleaseIsAClearError() {
        TransportFactory local = LocalTransport.factory(home);
        DeployReport nothing = engine.rollback(DeploySpec.local("x"), Set.of(), Set.of(), local);
        assertThat(nothing.ok()).isFalse();
        assertThat(nothing.failureMessage()).contains("nothing is deployed", "nothing to roll back");
        assertThat(nothing.failureMessage("rollback")).startsWith("rollback failed on 1 node(s):");
        deploy(DeploySpec.local("x"));
        DeployReport none = engine.rollback(DeploySpec.local("x"), Set.of(), Set.of(), local);
        assertThat(only(none).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(only(none).reason()).contains("no earlier successful release to roll back to");
    }

    @Test
    void failingPostcmdSwitchesBackAndShowsMaskedOutput() throws IOException {
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/version", "b");
        NodeResult r = only(deploy(spec(Map.of("postcmd", List.of("cat etc/shop.conf; sh -c 'exit 3'")))));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        // the output is shown once, above the table, masked; the reason is one line
        assertThat(r.reason())
                .contains("exited with 3", "current switched back to " + a)
                .doesNotContain("\n");
        assertThat(lines).anyMatch(l -> l.contains("password=****"));
        assertThat(lines).noneMatch(l -> l.contains("s3cret"));
        assertThat(current()).isEqualTo("releases/" + a);
        assertThat(log()).last().asString().contains("\"outcome\":\"failed\"");
    }

    @Test
    void postcmdRunsInTheRelease() throws IOException {
        NodeResult r = only(deploy(spec(Map.of("postcmd", "pwd > ../../pwd.txt"))));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(Files.readString(home.resolve("pwd.txt")).trim()).endsWith("releases/" + r.release());
    }

    @Test
    void firstDeployWithFailingPostcmdLeavesNoCurrent() {
        NodeResult r = only(deploy(spec(Map.of("postcmd", "exit 2"))));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(home.resolve("current")).doesNotExist();
    }

    @Test
    void aFailedUploadLeavesCurrentUntouchedAndARerunSucceeds() throws IOException {
        String a = only(deploy(DeploySpec.local("x"))).release();
        write("etc/shop.conf", "port=3\n");
        write("etc/new.conf", "new\n");
        NodeResult failed =
                only(deploy(DeploySpec.local("x"), node -> new ForwardingTransport(new LocalTransport(node, home), 2)));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).contains("connection reset");
        assertThat(current()).isEqualTo("releases/" + a);
        assertThat(releases()).containsExactly(a);
        NodeResult rerun = only(deploy(DeploySpec.local("x")));
        assertThat(rerun.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/etc/new.conf")).hasContent("new");
    }

    @Test
    void aPartialLeftByACrashIsRemovedByTheNextRun() throws IOException {
        deploy(DeploySpec.local("x"));
        Files.createDirectories(home.resolve("releases/0.9-0123456789ab.partial/etc"));
        write("etc/version", "b");
        assertThat(only(deploy(DeploySpec.local("x"))).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(releases()).noneMatch(n -> n.endsWith(".partial"));
    }

    @Test
    void dryRunChangesNothing() throws IOException {
        deploy(DeploySpec.local("x"));
        String before = Manifest.scan(home).treeHash();
        FileTime lockTime = Files.getLastModifiedTime(home.resolve(".facsimile-deploy.lock"));
        write("etc/shop.conf", "port=9\n");
        DeployReport report = engine.deploy(
                DeployRequest.of(source("1.0"), DeploySpec.local("x")).withDryRun(true), LocalTransport.factory(home));
        NodeResult r = only(report);
        assertThat(report.dryRun()).isTrue();
        assertThat(r.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(r.plan().changed()).containsExactly("etc/shop.conf");
        assertThat(r.plan().send()).hasSize(1);
        assertThat(Manifest.scan(home).treeHash()).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(home.resolve(".facsimile-deploy.lock")))
                .isEqualTo(lockTime);
    }

    @Test
    void dryRunOfAFirstDeployCreatesNoHome() {
        NodeResult r = only(engine.deploy(
                DeployRequest.of(source("1.0"), DeploySpec.local("x")).withDryRun(true), LocalTransport.factory(home)));
        assertThat(r.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(home).doesNotExist();
    }

    // ---- diff and verify

    @Test
    void diffShowsAddedChangedRemovedWithSecretsMasked() throws IOException {
        deploy(DeploySpec.local("x"));
        write("etc/shop.conf", "port=2\npassword=s3cret\n");
        write("etc/added.conf", "hello\n");
        Files.delete(tree.resolve("lib/static.txt"));
        NodeDiff d = engine.diff(
                        DeployRequest.of(source("1.0"), DeploySpec.local("x")).withSecrets(Set.of("s3cret")),
                        LocalTransport.factory(home))
                .get(0);
        assertThat(d.added()).containsExactly("etc/added.conf");
        assertThat(d.changed()).containsExactly("etc/shop.conf");
        assertThat(d.removed()).containsExactly("lib/static.txt");
        assertThat(d.text())
                .contains("""
                --- a/etc/shop.conf
                +++ b/etc/shop.conf
                @@ -1,2 +1,2 @@
                -port=1
                +port=2
                 password=****
                """)
                .contains("--- /dev/null\n+++ b/etc/added.conf\n@@ -0,0 +1 @@\n+hello\n")
                .contains("--- a/lib/static.txt\n+++ /dev/null\n")
                .doesNotContain("s3cret");
    }

    @Test
    void verifyFindsChangedMissingAndExtraFiles() throws IOException {
        deploy(DeploySpec.local("x"));
        assertThat(engine.verify(DeploySpec.local("x"), Set.of(), LocalTransport.factory(home))
                        .get(0)
                        .drifted())
                .isFalse();
        Path live = home.resolve("current");
        Path conf = live.resolve("etc/shop.conf");
        Files.delete(conf);
        Files.writeString(conf, "port=666\n");
        Files.delete(live.resolve("lib/static.txt"));
        Files.writeString(live.resolve("etc/extra.conf"), "x");
        NodeDrift drift = engine.verify(DeploySpec.local("x"), Set.of(), LocalTransport.factory(home))
                .get(0);
        assertThat(drift.drifted()).isTrue();
        assertThat(drift.changed()).containsExactly("etc/shop.conf");
        assertThat(drift.missing()).containsExactly("lib/static.txt");
        assertThat(drift.extra()).containsExactly("etc/extra.conf");
    }

    @Test
    void aDriftedReleaseIsRepairedWhenReused() throws IOException {
        deploy(DeploySpec.local("x"));
        Path conf = home.resolve("current/lib/static.txt");
        Files.delete(conf);
        Files.writeString(conf, "edited on the node\n");
        write("etc/version", "b");
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
    }

    @Test
    void aFileDeletedFromTheLiveReleaseIsSentAgain() throws IOException {
        deploy(DeploySpec.local("x"));
        Files.delete(home.resolve("current/lib/static.txt"));
        write("etc/version", "b");
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.filesSent()).isEqualTo(2);
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
    }

    NodeDrift verify() {
        return engine.verify(DeploySpec.local("x"), Set.of(), LocalTransport.factory(home))
                .get(0);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.drift-repaired")
    void driftOfTheCurrentReleaseIsRepairedByTheNextDeploy() throws IOException {
        String id = only(deploy(DeploySpec.local("x"))).release();
        Files.writeString(home.resolve("current/etc/shop.conf"), "port=666\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(home.resolve("current/lib/static.txt"));
        Files.writeString(home.resolve("current/lib/planted.sh"), "evil\n");
        assertThat(verify().drifted()).isTrue();
        lines.clear();
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.release()).isEqualTo(id);
        assertThat(r.filesSent()).isEqualTo(2);
        assertThat(lines).contains("repaired 3 files on local");
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1\npassword=s3cret");
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
        assertThat(home.resolve("current/lib/planted.sh")).doesNotExist();
        // listed after the repair, compared with no manifest: no digest stands for that listing
        assertThat(home.resolve("releases/" + id + "/" + Layout.STAT_DIGEST)).doesNotExist();
        assertThat(verify().drifted()).isFalse();
        assertThat(only(deploy(DeploySpec.local("x"))).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.stat-digest")
    void aReleaseDirRenamedToTheIdBeingDeployedIsRepairedNotTakenForIt() throws IOException {
        String first = only(deploy(DeploySpec.local("x"))).release();
        write("etc/shop.conf", "port=22\npassword=s3cret\n");
        String second = only(deploy(DeploySpec.local("x"))).release();
        // the first release put in the second's place: every inode, time, size and mode below it kept
        new LocalTransport(Node.LOCAL, home).remove("releases/" + second);
        Files.move(home.resolve("releases/" + first), home.resolve("releases/" + second));

        NodeResult r = only(deploy(DeploySpec.local("x")));

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.reason()).startsWith("repaired");
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=22\npassword=s3cret");
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.stat-digest")
    void aReleaseWhoseRecordWasDeletedIsCheckedByContentThoughItsDigestIsThere() throws IOException {
        only(deploy(DeploySpec.local("x")));
        Path conf = home.resolve("current/etc/shop.conf");
        TestFiles.rewriteKeepingItsTime(conf, "port=9\npassword=s3cret\n");
        Files.delete(home.resolve("current/" + Layout.STAT_RECORD));

        NodeResult r = only(deploy(DeploySpec.local("x")));

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.reason()).isEqualTo("repaired 1 files");
        assertThat(conf).hasContent("port=1\npassword=s3cret");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.drift-repaired")
    void aSameSizeEditWithItsTimePutBackPassesTheQuickCheckButNotTheContentCheck() throws IOException {
        only(deploy(DeploySpec.local("x")));
        Path conf = home.resolve("current/etc/shop.conf");
        TestFiles.rewriteKeepingItsTime(conf, "port=9\npassword=s3cret\n");
        // As rsync without --checksum: same inode, size, mode and time pass the quick check.
        assertThat(only(deploy(DeploySpec.local("x"))).outcome()).isEqualTo(Outcome.UNCHANGED);
        NodeResult r = only(engine.deploy(
                DeployRequest.of(source("1.0"), DeploySpec.local("x")).withChecksum(true),
                LocalTransport.factory(home)));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.reason()).isEqualTo("repaired 1 files");
        assertThat(conf).hasContent("port=1\npassword=s3cret");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.drift-repaired")
    void aDanglingCurrentIsDeployedAgain() throws IOException {
        String id = only(deploy(DeploySpec.local("x"))).release();
        new LocalTransport(Node.LOCAL, home).remove("releases/" + id);
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(r.filesSent()).isEqualTo(3);
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1\npassword=s3cret");
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.drift-repaired")
    void anEmptyOrTamperedReleaseDirWithTheTargetIdIsRepairedBeforeTheSwitch() throws IOException {
        only(deploy(DeploySpec.local("x")));
        write("etc/version", "2");
        String next = DeployPlanner.releaseId("1.0", Manifest.scan(tree));
        Files.createDirectories(home.resolve("releases/" + next + "/etc"));
        Files.writeString(home.resolve("releases/" + next + "/etc/shop.conf"), "tampered\n");
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(current()).isEqualTo("releases/" + next);
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=1\npassword=s3cret");
        assertThat(home.resolve("current/etc/version")).hasContent("2");
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.long-names")
    void namesOf214To255BytesDeploy() throws IOException {
        String longest = "n".repeat(250) + ".conf";
        write("etc/" + longest, "long\n");
        write("etc/" + "é".repeat(107), "two bytes a letter: 214 bytes\n");
        NodeResult r = only(deploy(DeploySpec.local("x")));
        assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/etc/" + longest)).hasContent("long");
        write("etc/" + longest, "changed\n");
        assertThat(only(deploy(DeploySpec.local("x"))).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/etc/" + longest)).hasContent("changed");
        home = dir.resolve("srv/synced");
        assertThat(only(deploy(spec(Map.of("strategy", "sync")))).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("etc/" + longest)).hasContent("changed");
    }

    // ---- sync

    @Test
    void syncMirrorsDeletingStaleFilesButNotExcludedOnes() throws IOException {
        DeploySpec sync = spec(Map.of("strategy", "sync", "exclude", List.of("*.log", "data/")));
        Files.createDirectories(home.resolve("old/deep"));
        Files.writeString(home.resolve("old/deep/stale.txt"), "stale");
        Files.writeString(home.resolve("app.log"), "keep me");
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/db"), "keep me too");
        NodeResult r = only(deploy(sync));
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("etc/shop.conf")).exists();
        assertThat(home.resolve("old")).doesNotExist();
        assertThat(home.resolve("app.log")).hasContent("keep me");
        assertThat(home.resolve("data/db")).hasContent("keep me too");
        assertThat(home.resolve(".facsimile/manifest.json")).exists();
        assertThat(only(deploy(sync)).outcome()).isEqualTo(Outcome.UNCHANGED);
        Files.delete(tree.resolve("lib/static.txt"));
        NodeResult second = only(deploy(sync));
        assertThat(second.filesSent()).isZero();
        assertThat(home.resolve("lib")).doesNotExist();
        assertThat(engine.verify(sync, Set.of(), LocalTransport.factory(home))
                        .get(0)
                        .drifted())
                .isFalse();
    }

    @Test
    void syncHandlesAFileThatBecomesADirectoryAndBack() throws IOException {
        DeploySpec sync = spec(Map.of("strategy", "sync"));
        write("conf", "a file\n");
        deploy(sync);
        Files.delete(tree.resolve("conf"));
        write("conf/inner", "now a directory\n");
        assertThat(only(deploy(sync)).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("conf/inner")).hasContent("now a directory");
        Files.delete(tree.resolve("conf/inner"));
        Files.delete(tree.resolve("conf"));
        write("conf", "a file again\n");
        assertThat(only(deploy(sync)).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("conf")).hasContent("a file again");
    }

    @Test
    void diffNamesBinaryFilesWithoutPrintingThem() throws IOException {
        Files.write(tree.resolve("lib/blob.bin"), new byte[] {0, 1, 2, 3});
        deploy(DeploySpec.local("x"));
        Files.write(tree.resolve("lib/blob.bin"), new byte[] {0, 1, 2, 4});
        NodeDiff d = engine.diff(DeployRequest.of(source("1.0"), DeploySpec.local("x")), LocalTransport.factory(home))
                .get(0);
        assertThat(d.text()).isEqualTo("Binary files a/lib/blob.bin and b/lib/blob.bin differ\n");
    }

    // ---- concurrency

    @Test
    @SuppressWarnings("try")
    void aSecondDeployWaitsThenFailsNamingTheHolder() throws Exception {
        Files.createDirectories(home);
        try (DeployLock held = new LocalTransport(Node.LOCAL, home).lock("alice", Duration.ZERO)) {
            DeployEngine impatient = new DeployEngine(listener, "bob", Duration.ofMillis(300), Clock.systemUTC());
            NodeResult r = only(impatient.deploy(
                    DeployRequest.of(source("1.0"), DeploySpec.local("x")), LocalTransport.factory(home)));
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.reason())
                    .contains(
                            "is locked by alice (pid " + ProcessHandle.current().pid());
        }
        assertThat(home.resolve("current")).doesNotExist();
    }

    @Test
    void aSecondDeployWaitsForTheLock() throws Exception {
        Files.createDirectories(home);
        DeployLock held = new LocalTransport(Node.LOCAL, home).lock("alice", Duration.ZERO);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });
        releaser.start();
        NodeResult r = only(deploy(DeploySpec.local("x")));
        releaser.join();
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
    }

    @Test
    void currentIsNeverMissingDuringSwitches() throws Exception {
        deploy(DeploySpec.local("x"));
        AtomicReference<Throwable> seen = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        Thread reader = new Thread(() -> {
            while (running.get()) {
                try {
                    Files.readSymbolicLink(home.resolve("current"));
                    reads.incrementAndGet();
                } catch (IOException e) {
                    seen.compareAndSet(null, e);
                }
            }
        });
        reader.start();
        try {
            for (int i = 0; i < 50; i++) {
                write("etc/version", Integer.toString(i % 2));
                assertThat(only(deploy(DeploySpec.local("x"))).outcome()).isEqualTo(Outcome.DEPLOYED);
            }
        } finally {
            running.set(false);
            reader.join();
        }
        assertThat(seen.get()).isNull();
        assertThat(reads.get()).isPositive();
    }
}

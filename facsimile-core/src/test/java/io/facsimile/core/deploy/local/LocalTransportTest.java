package io.facsimile.core.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.Releaser;
import io.facsimile.core.release.ManifestEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTransportTest {

    @TempDir
    Path home;

    /** A directory outside the home, where a planted link leads. */
    @TempDir
    Path outside;

    @Test
    void pathsCannotLeaveTheHome() {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        assertThatThrownBy(() -> t.readFile("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.remove("/etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.remove("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uploadKeepsTheModeAndCopiesShareNoInode() throws Exception {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        t.upload("a/run.sh", new ByteArrayInputStream("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)), 10, "0750");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("a/run.sh"))))
                .isEqualTo("rwxr-x---");
        t.copyAll("a", "b", List.of("run.sh"));
        assertThat(Files.isSameFile(home.resolve("a/run.sh"), home.resolve("b/run.sh")))
                .isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("b/run.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(t.list("a")).containsExactly("run.sh");
        assertThat(t.scan("", p -> !p.startsWith("b")).files())
                .singleElement()
                .satisfies(e -> assertThat(e.mode()).isEqualTo("0750"));
    }

    @Test
    void statListsEveryEntryOnceAndEntersNoLink() throws Exception {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        for (int i = 0; i < 70; i++) { // more directories than the walk lists on one thread
            t.upload("r/d" + i + "/x/f.txt", new ByteArrayInputStream(new byte[i]), i, "0640");
        }
        Path deep = Files.createDirectories(home.resolve("outside/deep"));
        Files.writeString(deep.resolve("secret"), "s");
        Files.createSymbolicLink(home.resolve("r/d3/x/link"), home.resolve("outside"));
        java.util.Map<String, io.facsimile.core.deploy.FileStat> stats = t.stat("r");
        assertThat(stats).hasSize(70 * 3 + 1);
        assertThat(List.copyOf(stats.keySet())).isSorted().noneMatch(p -> p.contains("secret") || p.startsWith("/"));
        assertThat(stats.get("d3/x/link").type()).isEqualTo("l");
        assertThat(stats.get("d69/x").isDirectory()).isTrue();
        io.facsimile.core.deploy.FileStat f = stats.get("d42/x/f.txt");
        assertThat(f.isFile()).isTrue();
        assertThat(f.size()).isEqualTo(42);
        assertThat(f.mode()).isEqualTo("0640");
        assertThat(f.inode())
                .isEqualTo(Files.getAttribute(home.resolve("r/d42/x/f.txt"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
        assertThat(t.stat("none")).isEmpty();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.modes")
    void anUploadIsCreatedWithItsModeNeverWiderForAMoment() throws Exception {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        t.makeDirs("etc");
        io.facsimile.core.deploy.ModeProbe probe = new io.facsimile.core.deploy.ModeProbe(
                home.resolve("etc"), "password=s3cret\n".getBytes(StandardCharsets.UTF_8));
        t.upload("etc/secret.conf", probe, 16, "0600");
        assertThat(probe.seen).singleElement().asString().endsWith(" rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("etc/secret.conf"))))
                .isEqualTo("rw-------");
    }

    @Test
    void linkSwitchAndCommand() {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        t.makeDirs("releases/r1");
        t.symlink("current.tmp", "releases/r1");
        t.rename("current.tmp", "current");
        assertThat(t.readLink("current")).hasValue("releases/r1");
        // the engine never goes through a link: a command runs in the release itself
        assertThatThrownBy(() -> t.exec("current", "pwd")).hasMessageContaining("current is a symbolic link");
        assertThat(t.exec("releases/r1", "pwd; echo oops >&2; exit 4")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.output()).contains("releases/r1", "oops");
        });
        t.remove("current");
        assertThat(t.exists("releases/r1")).isTrue();
        assertThat(t.exists("current")).isFalse();
    }

    @Test
    @SuppressWarnings("try")
    void theLockIsReleasedOnClose() {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        try (DeployLock first = t.lock("alice", Duration.ZERO)) {
            assertThatThrownBy(() -> t.lock("bob", Duration.ofMillis(150)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("locked by alice")
                    .satisfies(
                            e -> assertThat(((DeployException) e).isUserError()).isTrue());
        }
        try (DeployLock again = t.lock("bob", Duration.ZERO)) {
            assertThat(home.resolve(".facsimile-deploy.lock")).content().startsWith("bob (pid ");
        }
    }

    @Test
    @SuppressWarnings("try")
    void aThreadThatGivesUpWaitingDoesNotReleaseTheHoldersLock() throws Exception {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        try (DeployLock held = t.lock("alice", Duration.ZERO)) {
            Thread waiter = new Thread(() -> assertThatThrownBy(() -> t.lock("bob", Duration.ofMillis(150)))
                    .hasMessageContaining("locked by alice"));
            waiter.start();
            waiter.join();
            // Another process must still find the home locked.
            assertThat(probe()).isEqualTo(3);
        }
        assertThat(probe()).isZero();
    }

    @Test
    @SuppressWarnings("try")
    void aDeployWaitingForTheLockIsToldWhoHoldsItThenTakesItWhenItIsFreed() throws Exception {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        Releaser alice = Releaser.holding(t, "alice");
        try (DeployLock second = t.lock("bob", Duration.ofSeconds(30), alice.told()::add)) {
            assertThat(alice.told()).first().asString().startsWith("alice (pid ");
            assertThat(home.resolve(".facsimile-deploy.lock")).content().startsWith("bob (pid ");
        }
        alice.join();
    }

    /** Another process's flock(1) on the lock file: 0 when it gets it at once, 3 when it is held. */
    private int probe() throws Exception {
        Process p = new ProcessBuilder(
                        "flock",
                        "-n",
                        "-E",
                        "3",
                        home.resolve(".facsimile-deploy.lock").toString(),
                        "true")
                .inheritIO()
                .start();
        return p.waitFor();
    }

    @Test
    void destdirIsAStagingRootForTheHome(@TempDir Path dir) {
        Path base = dir.resolve("project");
        assertThat(LocalTransport.home("/srv/shop", dir, base)).isEqualTo(dir.resolve("srv/shop"));
        assertThat(LocalTransport.home(null, dir, base)).isEqualTo(dir);
        assertThat(LocalTransport.home("out/shop", null, base)).isEqualTo(base.resolve("out/shop"));
        assertThatThrownBy(() -> LocalTransport.home(null, null, base)).hasMessageContaining("deploy.home is required");
    }

    @Test
    void removingATreeRemovesItsLinksAndNeverWhatTheyPointAt() throws Exception {
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path release = Files.createDirectories(home.resolve("releases/old/a/b"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(release.resolve("f" + i), "x");
        }
        Files.writeString(home.resolve("releases/old/top.txt"), "top");
        Files.createSymbolicLink(home.resolve("releases/old/a/dir-link"), outside);
        Files.createSymbolicLink(release.resolve("file-link"), outside.resolve("keep.txt"));
        new LocalTransport(Node.LOCAL, home).remove("releases/old");
        assertThat(home.resolve("releases/old")).doesNotExist();
        assertThat(home.resolve("releases")).isEmptyDirectory();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    /**
     * The removal met a link where the caller's check had seen a directory: swapped in between, as a local
     * user who may rename entries of the home could. Called as the transport calls it after its check.
     */
    @Test
    @io.facsimile.core.reliability.Case("deploy.remove-swapped-link")
    void aDirectorySwappedForALinkAfterTheCheckIsNotEnteredAtAnyLevel() throws Exception {
        Files.createDirectories(outside.resolve("old"));
        Files.writeString(outside.resolve("old/keep.txt"), "keep");
        Files.createDirectories(home.resolve("releases"));
        Files.createSymbolicLink(home.resolve("releases/old"), outside.resolve("old"));

        assertThatThrownBy(() -> TreeRemoval.remove(home, Path.of("releases/old")))
                .isInstanceOf(java.io.IOException.class);
        assertThat(outside.resolve("old/keep.txt")).hasContent("keep");

        Files.delete(home.resolve("releases/old"));
        Files.delete(home.resolve("releases"));
        Files.createSymbolicLink(home.resolve("releases"), outside);

        assertThatThrownBy(() -> TreeRemoval.remove(home, Path.of("releases/old")))
                .isInstanceOf(java.io.IOException.class);
        assertThat(outside.resolve("old/keep.txt")).hasContent("keep");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.record-not-a-file")
    void aFifoWhereARecordShouldBeIsRefusedInsteadOfWaitedOn() throws Exception {
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        Path log = Files.createDirectories(home.resolve(".facsimile")).resolve("deploy-log.jsonl");
        assertThat(new ProcessBuilder("mkfifo", log.toString()).start().waitFor())
                .isZero();

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThatThrownBy(() -> t.readFile(".facsimile/deploy-log.jsonl"))
                        .isInstanceOf(DeployException.class)
                        .hasMessageContaining(log + " is not a regular file"));
    }
    /*
     * The local swap races: the deploy checks a directory (the staging directory it made or recycled, the
     * current release it copies from) and then writes or reads below it. A local user who may rename entries
     * there swaps a directory below it for a link in between; the tests plant the link where that check does
     * not look, which is where the swap lands.
     */

    @Test
    @io.facsimile.core.reliability.Case("deploy.local-swap-races")
    void anUploadIntoADirectorySwappedForALinkWritesNothingOutside(@TempDir Path tree) throws Exception {
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.properties"), "password=s3cret\n");
        Files.createDirectories(home.resolve("releases/r.partial"));
        Files.createSymbolicLink(home.resolve("releases/r.partial/etc"), outside);
        LocalTransport t = new LocalTransport(Node.LOCAL, home);

        assertThatThrownBy(() -> t.uploadAll(
                        "releases/r.partial",
                        tree,
                        List.of(new ManifestEntry("etc/app.properties", 16, "0600", "0".repeat(64), false)),
                        bytes -> {}))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("etc was replaced by a symbolic link while the deploy worked below")
                .satisfies(e -> assertThat(((DeployException) e).isUserError()).isTrue());
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.local-swap-races")
    void aCopyIntoOrOutOfADirectorySwappedForALinkTouchesNothingOutside() throws Exception {
        Files.createDirectories(home.resolve("releases/a/lib"));
        Files.writeString(home.resolve("releases/a/lib/static.txt"), "unchanging");
        Files.createDirectories(home.resolve("releases/b.partial"));
        Files.createSymbolicLink(home.resolve("releases/b.partial/lib"), outside);
        LocalTransport t = new LocalTransport(Node.LOCAL, home);

        // into: the staging directory's lib/ swapped for a link to a directory outside
        assertThatThrownBy(() -> t.copyAll("releases/a", "releases/b.partial", List.of("lib/static.txt")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("was replaced by a symbolic link");
        assertThat(outside).isEmptyDirectory();

        // out of: the current release's lib/ swapped for a link to a directory outside holding a secret
        Files.writeString(outside.resolve("static.txt"), "PRIVATE KEY");
        Files.delete(home.resolve("releases/b.partial/lib"));
        Path lib = home.resolve("releases/a/lib");
        org.apache.commons.io.file.PathUtils.deleteDirectory(lib);
        Files.createSymbolicLink(lib, outside);

        assertThatThrownBy(() -> t.copyAll("releases/a", "releases/b.partial", List.of("lib/static.txt")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("was replaced by a symbolic link");
        assertThat(home.resolve("releases/b.partial/lib/static.txt")).doesNotExist();
        assertThatThrownBy(() -> t.sha256("releases/a", List.of("lib/static.txt")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("was replaced by a symbolic link");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.local-swap-races")
    void aFileOfTheReleaseCopiedFromSwappedForALinkIsNotFollowed() throws Exception {
        Path secret = Files.writeString(outside.resolve("id_rsa"), "PRIVATE KEY");
        Files.createDirectories(home.resolve("releases/a/lib"));
        Files.createSymbolicLink(home.resolve("releases/a/lib/static.txt"), secret);
        LocalTransport t = new LocalTransport(Node.LOCAL, home);

        assertThatThrownBy(() -> t.copyAll("releases/a", "releases/b.partial", List.of("lib/static.txt")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("was replaced by a symbolic link");
        assertThat(home.resolve("releases/b.partial/lib/static.txt")).doesNotExist();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.local-swap-races")
    void aScanNeverHashesAFileOutsideThoughAFileItListsIsSwappedForALinkToOne() throws Exception {
        Path secret = Files.writeString(outside.resolve("shadow"), "root:$6$secret");
        String secretSha = io.facsimile.core.release.Manifest.sha256(secret);
        Path file = home.resolve("r/etc/app.properties");
        Files.createDirectories(file.getParent());
        Path content = Files.writeString(home.resolve("content"), "password=s3cret");
        LocalTransport t = new LocalTransport(Node.LOCAL, home);
        int scans = 0;
        // a user who may rename entries of the home flips a file between itself and a link to a file outside
        try (io.facsimile.core.testing.NameSwapper swapper = io.facsimile.core.testing.NameSwapper.start(
                file,
                home.resolve("swap.next"),
                spare -> Files.createSymbolicLink(spare, secret),
                spare -> Files.copy(content, spare))) {
            for (int i = 0; i < 300; i++) {
                try {
                    assertThat(t.scan("r", p -> true).files())
                            .extracting(ManifestEntry::sha256)
                            .doesNotContain(secretSha);
                    scans++;
                } catch (DeployException e) {
                    assertThat(e.getMessage()).contains("symbolic link");
                }
            }
            assertThat(swapper.swaps()).as("rounds the swapper made").isPositive();
        }
        assertThat(scans).as("scans that completed").isPositive();
    }
}

package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.FileStat;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.TransportFactory;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk path of the SSH transport against one real OpenSSH server (shared by the tests of this
 * class): the node's tar refuses an archive that tries to leave the staging directory, a link planted
 * there is not followed, names with spaces and newlines survive the listing, and a node without GNU
 * tar still gets the release, file by file.
 */
class SshBatchTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final SshServer ssh = new SshServer("batch");

    static SshTransportFactory factory;
    static Path home;

    @BeforeAll
    static void factory() {
        home = dir.resolve("home");
        factory = new SshTransportFactory(home.toString(), ssh.credentials(), ssh.hostKeys());
    }

    static Node node() {
        return ssh.node("app");
    }

    /** A tar archive of hand-made entries: {@code name}, then {@code "->target"} for a link or content. */
    static SshTransport.Input archive(String... nameAndContent) {
        return out -> {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < nameAndContent.length; i += 2) {
                String value = nameAndContent[i + 1];
                TarArchiveEntry e;
                if (value.startsWith("->")) {
                    e = new TarArchiveEntry(nameAndContent[i], TarArchiveEntry.LF_SYMLINK, true);
                    e.setLinkName(value.substring(2));
                    tar.putArchiveEntry(e);
                } else {
                    e = new TarArchiveEntry(nameAndContent[i], true);
                    byte[] b = value.getBytes(StandardCharsets.UTF_8);
                    e.setSize(b.length);
                    tar.putArchiveEntry(e);
                    tar.write(b);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
            tar.flush();
        };
    }

    /** Unpacks a hand-made archive into a fresh staging directory; returns the directory, or throws. */
    static Path unpack(String stage, SshTransport.Input archive) throws IOException {
        Path d = Files.createDirectories(home.resolve(stage));
        try (SshTransport t = (SshTransport) factory.open(node())) {
            t.unpack(stage, archive);
        }
        return d;
    }

    @Test
    @Case("deploy.tar-escape")
    void anArchiveThatTriesToLeaveTheStagingDirectoryIsRefusedByTheNode() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));

        assertThatThrownBy(() -> unpack("s1", archive("ok.txt", "fine", "../escaped.txt", "x")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("'..'");
        assertThat(home.resolve("escaped.txt")).doesNotExist();

        assertThatThrownBy(() -> unpack("s2", archive(outside + "/absolute.txt", "x")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Removing leading");
        assertThat(outside.resolve("absolute.txt")).doesNotExist();

        assertThatThrownBy(() -> unpack("s3", archive("l", "->" + outside, "l/through.txt", "x")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("l/through.txt");
        assertThatThrownBy(() -> unpack("s4", archive("r", "->../../outside", "r/through.txt", "x")))
                .isInstanceOf(DeployException.class);
        assertThat(outside).isEmptyDirectory();

        // a link alone writes nothing through it, and is still refused: a release holds files only
        assertThatThrownBy(() -> unpack("s5", archive("inside", "->ok")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("not a regular file or directory");
    }

    @Test
    @Case("deploy.tar-escape")
    void aLinkPlantedInTheStagingDirectoryIsNotFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside-planted"));
        Path stage = Files.createDirectories(home.resolve("planted"));
        Files.createSymbolicLink(stage.resolve("etc"), outside);

        assertThatThrownBy(() -> unpack("planted", archive("etc/app.conf", "x")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("holds something other than files and directories: ./etc");
        assertThat(outside).isEmptyDirectory();

        // a recycled release holds files and directories: the stream adds to them and overwrites none
        Path recycled = Files.createDirectories(home.resolve("recycled/etc"));
        Files.writeString(recycled.resolve("kept.conf"), "kept\n");
        unpack("recycled", archive("etc/app.conf", "new"));
        assertThat(recycled.resolve("app.conf")).hasContent("new");
        assertThat(recycled.resolve("kept.conf")).hasContent("kept");
        assertThatThrownBy(() -> unpack("recycled", archive("etc/kept.conf", "overwritten")))
                .isInstanceOf(DeployException.class);
        assertThat(recycled.resolve("kept.conf")).hasContent("kept");

        // the staging directory itself linked outside: refused by the confinement check before any command
        Files.createSymbolicLink(home.resolve("linked-stage"), outside);
        assertThatThrownBy(() -> unpack("linked-stage", archive("app.conf", "x")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("link");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void theListingReadsNamesWithSpacesAndNewlines() throws IOException {
        Path d = Files.createDirectories(home.resolve("names/sub dir"));
        Files.writeString(d.resolve("a b\nc.txt"), "12345");
        Files.writeString(d.resolve("plain"), "1");
        try (SshTransport t = (SshTransport) factory.open(node())) {
            Map<String, FileStat> listing = t.stat("names");
            assertThat(listing).containsOnlyKeys("sub dir", "sub dir/a b\nc.txt", "sub dir/plain");
            assertThat(listing.get("sub dir/a b\nc.txt").size()).isEqualTo(5);
            assertThat(listing.get("sub dir").isDirectory()).isTrue();
            assertThat(t.sha256("names", List.of("sub dir/a b\nc.txt", "sub dir/plain")))
                    .containsEntry("sub dir/a b\nc.txt", Manifest.sha256(d.resolve("a b\nc.txt")));
        }
        assertThat(io.facsimile.core.deploy.FindListing.parse("f 644 3 1.5 7 x y\nz\0d 755 4096 2.0 8 d\0"))
                .containsOnlyKeys("x y\nz", "d");
    }

    @Test
    void chaChaIsNegotiatedUnlessAnotherCipherIsChosen() throws IOException {
        // MINA's ChaCha20 is plain Java, yet cheaper in a fresh JVM than AES-GCM (whose GHASH waits for the JIT)
        try (SshTransport t = (SshTransport) factory.open(node())) {
            assertThat(t.cipher()).isEqualTo("chacha20-poly1305@openssh.com");
        }
        SshTransportFactory chosen = new SshTransportFactory(home.toString(), ssh.credentials(), ssh.hostKeys())
                .ciphers("aes128-gcm@openssh.com,aes256-ctr");
        try (SshTransport t = (SshTransport) chosen.open(node())) {
            assertThat(t.cipher()).isEqualTo("aes128-gcm@openssh.com");
        }
    }

    @Test
    void theToolsOfTheBulkPathAreRecognised() {
        assertThat(SshTransport.missingTools("tar (GNU tar) 1.34\nfind (GNU findutils) 4.9.0\n"))
                .isNull();
        assertThat(SshTransport.missingTools("BusyBox v1.36.1 multi-call binary.\nfind (GNU findutils) 4.9.0\n"))
                .isEqualTo("no GNU tar");
        assertThat(SshTransport.missingTools("sh: tar: not found\nsh: find: not found\n"))
                .isEqualTo("no tar, no find");
    }

    @Test
    void aReleaseDeploysInBulkAndFileByFileWithoutGnuTar() throws IOException {
        Path tree = dir.resolve("tree/_DEPLOY_");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.conf"), "port=1\n");
        Files.writeString(tree.resolve("etc/secret.conf"), "password=x\n");
        Files.setPosixFilePermissions(tree.resolve("etc/secret.conf"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tree.resolve("odd name 'q' ü.txt"), "odd\n");
        // a build machine whose clock is ahead of the node's: tar's warning must not fail the unpack
        Files.setLastModifiedTime(
                tree.resolve("etc/app.conf"), FileTime.from(Instant.now().plus(Duration.ofDays(1))));
        // bulk; switched off; a node whose tar is not GNU tar: the unpack refuses the stream, it goes by SFTP
        for (String mode : List.of("bulk", "sftp", "notar")) {
            boolean bulk = mode.equals("bulk");
            String h = home.resolve(mode).toString();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            DeployEngine engine = new DeployEngine(
                    new DeployListener() {
                        @Override
                        public void info(Node node, String message) {
                            lines.add(message);
                        }
                    },
                    "tester",
                    Duration.ofSeconds(5),
                    Clock.systemUTC());
            SshTransportFactory f = new SshTransportFactory(h, ssh.credentials(), ssh.hostKeys());
            TransportFactory transports = n -> switch (mode) {
                case "sftp" -> ((SshTransport) f.open(n)).withoutBatch();
                case "notar" -> ((SshTransport) f.open(n)).withTar("facsimile-no-such-tar");
                default -> f.open(n);
            };
            DeploySpec spec = DeploySpec.parse(
                    Map.of("home", h, "nodes", Map.of("app", List.of(ssh.sshd().hostSpec()))));
            DeployReport report = engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec), transports);

            NodeResult r = report.nodes().get(0);
            assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.DEPLOYED);
            assertThat(r.filesSent()).as(mode + ": each file counted once").isEqualTo(3);
            Path current = Path.of(h, "current");
            assertThat(current.resolve("etc/app.conf")).hasContent("port=1");
            assertThat(current.resolve("odd name 'q' ü.txt")).hasContent("odd");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(current.resolve("etc/secret.conf"))))
                    .isEqualTo("rw-------");
            if (bulk) {
                // the time comes from the archive (SFTP uploads get the time of the upload)
                assertThat(Files.getLastModifiedTime(current.resolve("etc/app.conf"))
                                        .toMillis()
                                / 1000)
                        .isEqualTo(Files.getLastModifiedTime(tree.resolve("etc/app.conf"))
                                        .toMillis()
                                / 1000);
                assertThat(lines).noneMatch(l -> l.contains("file by file"));
            } else {
                assertThat(lines)
                        .contains("the node has no GNU tar and find ("
                                + (bulk ? "" : mode.equals("sftp") ? "switched off" : "no GNU tar")
                                + "); sending file by file over SFTP");
            }

            // one file changed: sent, the others copied from the current release (one command in bulk)
            String first = r.release();
            Files.writeString(tree.resolve("etc/app.conf"), "port=2\n");
            lines.clear();
            NodeResult changed = engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec), transports)
                    .nodes()
                    .get(0);
            assertThat(changed.outcome()).as(changed.reason()).isEqualTo(Outcome.DEPLOYED);
            assertThat(changed.filesSent()).as(mode + ": only the change sent").isEqualTo(1);
            assertThat(lines).anyMatch(l -> l.startsWith("copying 2 unchanged files from release " + first));
            assertThat(current.resolve("etc/app.conf")).hasContent("port=2");
            assertThat(current.resolve("odd name 'q' ü.txt")).hasContent("odd");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(current.resolve("etc/secret.conf"))))
                    .isEqualTo("rw-------");
            // a copy, not the earlier release's inode: an edit of one release changes no other
            assertThat(Files.getAttribute(current.resolve("etc/secret.conf"), "unix:ino"))
                    .isNotEqualTo(Files.getAttribute(Path.of(h, "releases", first, "etc/secret.conf"), "unix:ino"));
            assertThat(Path.of(h, "releases", changed.release(), ".facsimile"))
                    .isDirectoryNotContaining("glob:**/{copies,sent}");
            Files.writeString(tree.resolve("etc/app.conf"), "port=1\n"); // as the next mode starts
            Files.setLastModifiedTime(
                    tree.resolve("etc/app.conf"), FileTime.from(Instant.now().plus(Duration.ofDays(1))));
        }
    }
}

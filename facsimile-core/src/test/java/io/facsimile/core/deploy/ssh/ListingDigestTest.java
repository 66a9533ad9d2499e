package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.FileStat;
import io.facsimile.core.deploy.FindListing;
import io.facsimile.core.deploy.Shell;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest of a release's listing that the node computes with its own programs, against the one this
 * side computes from the staged listing: a real {@code sh}, GNU find, grep, sort and sha256sum, here on a
 * release dir of the build machine, as the SSH transport runs them in one on the node.
 */
class ListingDigestTest {

    private static final String ID = "1.0-0123456789ab";

    @TempDir
    Path dir;

    Path release;

    @BeforeEach
    void release() throws IOException {
        release = Files.createDirectories(dir.resolve("releases/" + ID));
        write("etc/app.conf", "port=1\n");
        write("etc/with space.txt", "a name with a space\n");
        write("lib/ünïcode.txt", "é\n");
        // only the records of the release's own .facsimile/stat.* are left out, never a file of the tree
        write("a .facsimile", "a name ending like the records' directory\n");
        write("x/.facsimile/stat.json", "{}\n");
        write(".facsimile/manifest.json", "{\"files\":[]}\n");
        write(".facsimile/stat.json", "{}\n");
        write(".facsimile/stat.digest", "0\n");
        Files.writeString(release.resolve(".facsimile/stat.sha256"), digest(ID) + "\n");
    }

    private void write(String path, String content) throws IOException {
        Path file = release.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** This side's digest of the release as find lists it now. */
    private String digest(String id) throws IOException {
        return ListingDigest.of(id, listing()).orElseThrow();
    }

    private Map<String, FileStat> listing() throws IOException {
        return FindListing.parse(sh(FindListing.COMMAND));
    }

    /** The node's answer: {@code SAME}, or the listing. */
    private String node() throws IOException {
        return sh(ListingDigest.command(ID));
    }

    private String sh(String command) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "cd -P -- " + Shell.quote(release.toString()) + " && " + command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    @Test
    @Case("deploy.stat-digest")
    void theNodeFindsAReleaseAsStagedByTheDigestThisSideComputed() throws IOException {
        assertThat(node()).isEqualTo("SAME\n");
        // the records written after the listing do not count
        Files.writeString(release.resolve(".facsimile/stat.json"), "{\"other\": 1}\n");
        Files.writeString(release.resolve(".facsimile/stat.digest"), "1\n");
        assertThat(node()).isEqualTo("SAME\n");
    }

    @Test
    @Case("deploy.stat-digest")
    void anInodeChangedUnderTheSameSizeAndTimesMakesTheNodeSendTheListing() throws IOException {
        Map<String, FileStat> before = listing();
        Path conf = release.resolve("etc/app.conf");
        FileTime time = Files.getLastModifiedTime(conf);
        FileTime etc = Files.getLastModifiedTime(conf.getParent());
        Files.move(conf, release.resolve("etc/app.conf.old"));
        Files.writeString(conf, "port=2\n");
        Files.setLastModifiedTime(conf, time);
        Files.delete(release.resolve("etc/app.conf.old"));
        Files.setLastModifiedTime(conf.getParent(), etc);
        // nothing but that file's inode differs
        Map<String, FileStat> after = listing();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.keySet().stream().filter(p -> !after.get(p).equals(before.get(p))))
                .containsExactly("etc/app.conf");
        FileStat was = before.get("etc/app.conf");
        FileStat now = after.get("etc/app.conf");
        assertThat(new FileStat(now.type(), now.mode(), now.size(), now.mtime(), was.inode()))
                .isEqualTo(was);
        assertListed();
    }

    @Test
    @Case("deploy.stat-digest")
    void aFileOfTheTreeNamedLikeTheRecordsCounts() throws IOException {
        write("x/.facsimile/stat.json", "{\"changed\": true}\n");
        assertListed();
    }

    @Test
    @Case("deploy.stat-digest")
    void aModeATimeAnAddedOrARemovedEntryCounts() throws IOException {
        Files.setPosixFilePermissions(
                release.resolve("lib/ünïcode.txt"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertListed();
        release();
        Files.setLastModifiedTime(release.resolve("etc/with space.txt"), FileTime.fromMillis(1_000_000_000L));
        assertListed();
        release();
        write("etc/new.conf", "new\n");
        assertListed();
        release();
        Files.delete(release.resolve("a .facsimile"));
        assertListed();
    }

    @Test
    @Case("deploy.stat-digest")
    void anotherReleaseRenamedToThisIdIsNotTakenForIt() throws IOException {
        Files.writeString(release.resolve(".facsimile/stat.sha256"), digest("1.0-ffffffffffff") + "\n");
        assertListed();
    }

    @Test
    @Case("deploy.stat-digest")
    void withoutAPlainRecordOrDigestTheNodeSendsTheListing() throws IOException {
        Files.delete(release.resolve(".facsimile/stat.json"));
        assertListed();
        release();
        Path sum = release.resolve(".facsimile/stat.sha256");
        Path elsewhere = Files.writeString(dir.resolve("sum"), Files.readString(sum));
        Files.delete(sum);
        Files.createSymbolicLink(sum, elsewhere);
        assertListed();
    }

    @Test
    @Case("deploy.confined-links")
    void aLinkPlantedWithTheDigestComputedAgainIsStillListed() throws IOException {
        // a directory of the release swapped for a link to outside, and the digest rewritten to match: the
        // digest is no secret, and SAME lets the deploy copy from the release without an lstat below it
        Path outside = Files.createDirectories(dir.resolve("outside/etc"));
        Files.writeString(outside.resolve("app.conf"), "secret\n");
        Path etc = release.resolve("etc");
        for (String name : new String[] {"app.conf", "with space.txt"}) {
            Files.delete(etc.resolve(name));
        }
        Files.delete(etc);
        Files.createSymbolicLink(etc, outside);
        // computed as the node computes it: this side computes none for a listing holding a link
        String recomputed = sh(ListingDigest.digestCommand(Shell.quote(ID))).split(" ")[0];
        Files.writeString(release.resolve(".facsimile/stat.sha256"), recomputed + "\n");

        String answer = node();
        assertThat(answer).isNotEqualTo("SAME\n");
        assertThat(FindListing.parse(answer).get("etc").type()).isEqualTo("l");
    }

    /** The node sends the listing, as find prints it, instead of {@code SAME}. */
    private void assertListed() throws IOException {
        String answer = node();
        assertThat(answer).isNotEqualTo("SAME\n");
        assertThat(FindListing.parse(answer)).containsKeys("etc/with space.txt", ".facsimile/stat.sha256");
    }
}

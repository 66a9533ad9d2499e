package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.deploy.FindListing;
import io.facsimile.core.deploy.HomeLock;
import io.facsimile.core.deploy.Shell;
import io.facsimile.core.reliability.Case;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The look the deploy lock's program takes at a home once the lock is held ({@link NodeLook}): the real
 * lock command with its look, run by {@code sh} on homes of this machine as it runs on a node, and read
 * back from its output exactly as the SSH transport reads it.
 */
class NodeLookTest {

    private static final String ID = "1.0-0123456789ab";

    @TempDir
    Path dir;

    /** Takes the lock of {@code home} with the look, reads the look, then lets the lock go. */
    private NodeLook look(Path home) throws IOException, InterruptedException {
        String command = HomeLock.command(
                Shell.quote(home.toString()), Shell.quote("test"), Duration.ofSeconds(5), NodeLook.command());
        Process p = new ProcessBuilder("sh", "-c", command)
                .redirectErrorStream(true)
                .start();
        try {
            InputStream out = new BufferedInputStream(p.getInputStream());
            HomeLock.await(
                    out, () -> "", () -> -1, home.toString(), "this machine", Duration.ofSeconds(5), holder -> {});
            NodeLook look = NodeLook.read(out, home.toString()).orElseThrow();
            // the lock is still held after the look: its program waits for its input to close
            assertThat(p.isAlive()).isTrue();
            p.getOutputStream().close();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out.read()).as("nothing follows the look").isEqualTo(-1);
            return look;
        } finally {
            p.destroyForcibly();
        }
    }

    private Path release(Path home, String id) throws IOException {
        Path release = Files.createDirectories(home.resolve("releases/" + id));
        Files.createDirectories(release.resolve("etc"));
        Files.writeString(release.resolve("etc/app.conf"), "port=1\n");
        Files.createDirectories(release.resolve(".facsimile"));
        Files.writeString(release.resolve(".facsimile/stat.json"), "{}\n");
        return release;
    }

    @Test
    void anEmptyHomeHasNothingToLookAt() throws Exception {
        Path home = dir.resolve("home");

        NodeLook look = look(home);

        assertThat(look.types())
                .containsEntry(home + "/.facsimile", '-')
                .containsEntry(home + "/releases", '-')
                .containsEntry(home + "/current", '-');
        assertThat(look.current()).isEmpty();
        assertThat(look.release()).isNull();
        assertThat(look.answer()).isNull();
    }

    @Test
    void theCurrentReleaseIsListedUnlessItIsAsItsDigestSays() throws Exception {
        Path home = dir.resolve("home");
        Path release = release(home, ID);
        Files.createDirectories(home.resolve(".facsimile"));
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/" + ID));

        NodeLook listed = look(home);

        assertThat(listed.types())
                .containsEntry(home + "/.facsimile", 'd')
                .containsEntry(home + "/releases", 'd')
                .containsEntry(home + "/current", 'l')
                .containsEntry(home + "/releases/" + ID, 'd');
        assertThat(listed.current()).contains("releases/" + ID);
        assertThat(listed.release()).isEqualTo(home + "/releases/" + ID);
        assertThat(FindListing.parse(listed.answer())).containsKeys("etc", "etc/app.conf", ".facsimile/stat.json");

        // recorded as the deploy records a staged release: the next look answers SAME, not the listing
        Files.writeString(
                release.resolve(".facsimile/stat.sha256"),
                ListingDigest.of(ID, FindListing.parse(listed.answer())).orElseThrow() + "\n");
        assertThat(look(home).answer()).isEqualTo(ListingDigest.SAME + "\n");

        Files.writeString(release.resolve("etc/app.conf"), "port=2\n");
        assertThat(look(home).answer()).as("a file changed since").isNotEqualTo(ListingDigest.SAME + "\n");
    }

    @Test
    void namesThatLookLikeTheLooksOwnWordsAreReadAsNames() throws Exception {
        Path home = dir.resolve("home");
        Path release = release(home, ID);
        Files.writeString(release.resolve("LOOKED\n"), "x");
        Files.writeString(release.resolve("\nDIGESTED 0\n"), "x");
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/" + ID));

        NodeLook look = look(home);

        assertThat(FindListing.parse(look.answer())).containsKeys("LOOKED\n", "\nDIGESTED 0\n", "etc/app.conf");
    }

    @Test
    void aLinkTargetKeepsItsNewlinesAndOnlyAReleaseDirectoryIsListed() throws Exception {
        Path home = dir.resolve("home");
        release(home, ID);
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/" + ID + "\n"));

        NodeLook look = look(home);

        assertThat(look.current()).contains("releases/" + ID + "\n");
        assertThat(look.types()).containsEntry(home + "/releases/" + ID + "\n", '-');
        assertThat(look.answer()).isNull();
    }

    @Test
    @Case("deploy.confined-links")
    void nothingBelowAPlantedLinkIsListed() throws Exception {
        Path home = dir.resolve("home");
        Path elsewhere = dir.resolve("elsewhere");
        release(elsewhere, ID);
        Files.createDirectories(home);
        Files.createSymbolicLink(home.resolve("releases"), elsewhere.resolve("releases"));
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/" + ID));

        NodeLook look = look(home);

        assertThat(look.types()).containsEntry(home + "/releases", 'l');
        assertThat(look.answer()).as("not listed through the link").isNull();
    }

    @Test
    void aLookIsDroppedByAChangeAtWhatItSawAboveItOrBelowTheRelease() throws Exception {
        Path home = dir.resolve("home");
        release(home, ID);
        Files.createSymbolicLink(home.resolve("current"), Path.of("releases/" + ID));
        NodeLook look = look(home);

        assertThat(look.touchedBy(home + "/current")).isTrue();
        assertThat(look.touchedBy(home.toString())).isTrue();
        assertThat(look.touchedBy(home + "/releases/" + ID + "/etc/app.conf")).isTrue();
        assertThat(look.touchedBy(home + "/releases/" + ID)).isTrue();
        assertThat(look.touchedBy(home + "/releases/2.0-0123456789ab.partial")).isFalse();
        assertThat(look.touchedBy(home + "/.facsimile/deploy-log.jsonl")).isFalse();
        assertThat(look.touchedBy(home + "/current.tmp-1")).isFalse();
    }

    @Test
    void anUnconfirmedSwitchIsSeenByItsTokenButNotThroughALink() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path meta = Files.createDirectories(home.resolve(".facsimile"));
        assertThat(look(home).unconfirmed()).isFalse();

        Files.createSymbolicLink(meta.resolve("guard-a.armed"), dir.resolve("elsewhere"));
        Files.createDirectories(meta.resolve("guard-b.armed"));
        assertThat(look(home).unconfirmed())
                .as("a link or a directory is no token")
                .isFalse();

        Files.writeString(meta.resolve("guard-c.armed"), ID + "\n");
        NodeLook look = look(home);
        assertThat(look.unconfirmed()).isTrue();
        assertThat(look.types()).containsEntry(home + "/.facsimile", 'd');
    }

    @Test
    void aLinkWhoseTargetCouldNotBeReadIsLeftToBeAskedAgain() throws IOException {
        NodeLook look = NodeLook.parse("LOOK ddl\n\0\nLOOKED\n", "/h");

        assertThat(look.types()).containsEntry("/h/releases", 'd').doesNotContainKey("/h/current");
        assertThat(look.current()).isEmpty();
    }

    @Test
    void whatIsNoLookIsNoneAndALineEndingInCarriageReturnStillLocks() throws IOException {
        InputStream noise = new java.io.ByteArrayInputStream(
                "LOCKED\r\nbash: warning: no job control\nLOOK ---\n\0\nLOOKED\n".getBytes(StandardCharsets.UTF_8));
        HomeLock.await(noise, () -> "", () -> -1, "/h", "node", Duration.ofSeconds(1), holder -> {});

        assertThat(NodeLook.read(noise, "/h")).isEmpty();
        assertThatThrownBy(() -> NodeLook.read(new java.io.ByteArrayInputStream(new byte[0]), "/h"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended before its look did");
    }

    @Test
    void anAnswerThatIsNoLookIsRefused() throws IOException {
        assertThatThrownBy(() -> NodeLook.parse("LOCKED\n\0\nLOOKED\n", "/h"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a look");
        assertThatThrownBy(() -> NodeLook.parse("LOOK ---\nextra\0\nLOOKED\n", "/h"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than it should hold");
        assertThat(Optional.ofNullable(
                        NodeLook.parse("LOOK ---\n\0\nLOOKED\n", "/h").answer()))
                .isEmpty();
    }
}

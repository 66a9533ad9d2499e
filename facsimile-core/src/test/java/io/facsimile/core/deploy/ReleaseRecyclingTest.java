package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deploy turns the release that pruning would remove into the new release's staging directory,
 * keeping only files that pass its check and that the new release holds unchanged.
 */
class ReleaseRecyclingTest extends LocalDeployFixture {

    private static final DeploySpec KEEP_3 = spec(Map.of("keep", 3));

    /** Releases a, b and c, oldest first: with keep 3, the next deploy makes a due for pruning. */
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void threeReleases() throws IOException {
        write("etc/shop.conf", "port=1\npassword=s3cret\n");
        write("lib/static.txt", "unchanging\n");
        // larger than the release's manifest document, which these make some 2 KB
        write("lib/big.txt", "0123456789abcdef".repeat(1024));
        for (int i = 0; i < 12; i++) {
            write("lib/small/" + i + ".txt", "small " + i + "\n");
        }
        write("old/deep/gone.txt", "only in a\n");
        write("swap", "a file in a\n");
        for (String v : List.of("a", "b", "c")) {
            write("etc/version", v);
            ids.add(only(deploy()).release());
            if (v.equals("a")) {
                PathUtils.deleteDirectory(tree.resolve("old"));
                PathUtils.deleteDirectory(tree.resolve("swap"));
                write("swap/now-a-directory.txt", "from b on\n");
            }
        }
        write("etc/version", "d");
    }

    private DeployReport deploy() {
        return deploy(local());
    }

    private DeployReport deploy(TransportFactory transports) {
        return engine.deploy(DeployRequest.of(source("1.0"), KEEP_3).withSecrets(Set.of("s3cret")), transports);
    }

    /** The transport of the last {@link #deployCounting}, which counts what it did. */
    private ForwardingTransport counting;

    private NodeResult deployCounting() {
        return only(deploy(node -> counting = new ForwardingTransport(new LocalTransport(node, home), 0)));
    }

    private Path inRelease(int index, String path) {
        return home.resolve("releases/" + ids.get(index) + "/" + path);
    }

    private Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private NodeDrift verify() {
        return engine.verify(KEEP_3, Set.of(), LocalTransport.factory(home)).get(0);
    }

    @Test
    void theReleaseDueForPruningBecomesTheNewReleaseKeepingItsUnchangedFiles() throws IOException {
        Object recycledInode = inode(inRelease(0, "lib/static.txt"));
        Object currentInode = inode(inRelease(2, "lib/static.txt"));
        NodeResult r = deployCounting();

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        // what release a lacks (the changed file and the one it never had, some bytes) is sent from this
        // build: the current release's manifest, larger than that, is not even read to copy them
        assertThat(r.filesSent()).isEqualTo(2);
        assertThat(counting.copies).hasValue(0);
        assertThat(counting.reads).doesNotContain(currentManifest());
        assertThat(lines).anyMatch(l -> l.startsWith("recycling release " + ids.get(0) + ", due for pruning"));
        assertThat(lines).noneMatch(l -> l.contains("removing old release"));
        assertThat(releases()).containsExactlyInAnyOrder(ids.get(1), ids.get(2), r.release());
        Path live = home.resolve("releases/" + r.release());
        // the old release's own file, not a copy of the current release's: each release keeps its own inodes
        assertThat(inode(live.resolve("lib/static.txt")))
                .isEqualTo(recycledInode)
                .isNotEqualTo(currentInode);
        assertThat(live.resolve("etc/version")).hasContent("d");
        assertThat(live.resolve("old")).doesNotExist();
        assertThat(live.resolve("swap")).isDirectory();
        assertThat(live.resolve("swap/now-a-directory.txt")).hasContent("from b on");
        assertThat(verify().drifted()).isFalse();
        assertThat(only(deploy()).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    private String currentManifest() {
        return Layout.release(ids.get(2)) + "/" + Layout.RELEASE_MANIFEST;
    }

    @Test
    void whatTheRecycledReleaseLacksIsCopiedFromTheCurrentReleaseWhenItOutweighsItsManifest() throws IOException {
        Files.delete(inRelease(0, "lib/big.txt"));
        Object currentInode = inode(inRelease(2, "lib/big.txt"));
        NodeResult r = deployCounting();

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(lines).anyMatch(l -> l.startsWith("recycling release " + ids.get(0)));
        // the changed file is sent; the 16 KiB file release a lost, and the one it never had, are copied
        assertThat(r.filesSent()).isEqualTo(1);
        assertThat(counting.copies).hasValue(2);
        assertThat(counting.reads).contains(currentManifest());
        Path copied = home.resolve("releases/" + r.release() + "/lib/big.txt");
        assertThat(copied).hasSameTextualContentAs(inRelease(2, "lib/big.txt"));
        assertThat(inode(copied)).isNotEqualTo(currentInode);
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.recycled-release")
    void aFileEditedInTheRecycledReleaseIsNotKept() throws IOException {
        Files.writeString(inRelease(0, "lib/static.txt"), "edited\n", StandardOpenOption.APPEND);

        NodeResult r = only(deploy());

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(lines).anyMatch(l -> l.startsWith("recycling release " + ids.get(0)));
        // left out by the check of the old release, not caught only by the check of the staged one
        assertThat(lines).noneMatch(l -> l.contains("differ from the manifest"));
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.recycled-release")
    void withChecksumAnEditThatKeepsSizeAndTimeIsFoundInTheRecycledRelease() throws IOException {
        Path edited = inRelease(0, "lib/static.txt");
        TestFiles.rewriteKeepingItsTime(edited, "UNCHANGING\n");

        NodeResult r = only(engine.deploy(
                DeployRequest.of(source("1.0"), KEEP_3).withChecksum(true), LocalTransport.factory(home)));

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.recycled-release")
    void aLinkPlantedAsAFileOfTheRecycledReleaseIsRemovedNotFollowed() throws IOException {
        Path outside = TestFiles.writeString(dir.resolve("outside/static.txt"), "outside\n");
        Files.delete(inRelease(0, "lib/static.txt"));
        Files.createSymbolicLink(inRelease(0, "lib/static.txt"), outside);

        NodeResult r = only(deploy());

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(lines).anyMatch(l -> l.startsWith("recycling release " + ids.get(0)));
        assertThat(lines).noneMatch(l -> l.contains("differ from the manifest"));
        assertThat(Files.isSymbolicLink(home.resolve("current/lib/static.txt"))).isFalse();
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
        assertThat(outside).hasContent("outside");
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.recycled-release")
    void aReleaseHoldingALinkToADirectoryIsNotRecycledAndPrunedWithoutFollowingIt() throws IOException {
        Path outside = TestFiles.writeString(dir.resolve("outside/static.txt"), "outside\n");
        PathUtils.deleteDirectory(inRelease(0, "lib"));
        Files.createSymbolicLink(inRelease(0, "lib"), outside.getParent());

        NodeResult r = only(deploy());

        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(lines).noneMatch(l -> l.contains("recycling"));
        assertThat(lines).contains("removing old release " + ids.get(0));
        assertThat(releases()).doesNotContain(ids.get(0));
        assertThat(outside).hasContent("outside");
        assertThat(home.resolve("current/lib/static.txt")).hasContent("unchanging");
        assertThat(verify().drifted()).isFalse();
    }

    @Test
    void aFailedStagingRemovesTheRecycledReleaseAndLeavesCurrentAsItWas() throws IOException {
        NodeResult r = only(deploy(node -> new ForwardingTransport(new LocalTransport(node, home), 0) {
            @Override
            public Transport.Listing listAndHash(String dir, java.util.Collection<String> paths) {
                throw new DeployException("the node went away (test)");
            }
        }));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("the node went away");
        assertThat(Files.readSymbolicLink(home.resolve("current")).toString()).isEqualTo("releases/" + ids.get(2));
        // gone as a successful deploy would have pruned it; nothing half-staged is left
        assertThat(releases()).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        assertThat(verify().drifted()).isFalse();
    }
}

package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeHashRecordTest {

    /** A hash no manifest of these tests has: found only when the record is believed. */
    private static final String PLANTED = "ab".repeat(32);

    @TempDir
    Path root;

    /** A rendered release dir {@code prod} whose manifest lists {@code files}. */
    private Path rendered(String... files) throws IOException {
        Path releaseDir = root.resolve("prod");
        Files.createDirectories(releaseDir.resolve("_DEPLOY_"));
        List<ManifestEntry> entries = new java.util.ArrayList<>();
        for (String file : files) {
            entries.add(new ManifestEntry(file, 3, "0644", "cd".repeat(32), false));
        }
        Files.write(releaseDir.resolve("manifest.json"), new Manifest(entries).toJson());
        return releaseDir;
    }

    private Path record() {
        return root.resolve(".prod.tree");
    }

    @Test
    void theFirstDeployRecordsTheHashBesideTheReleaseDirAndTheNextTakesIt() throws IOException {
        Path releaseDir = rendered("a.conf", "b.conf");
        ReleaseSource first = ReleaseSource.of(releaseDir, "1.0");
        String hash = first.treeHash(first.manifest());

        assertThat(hash).isEqualTo(first.manifest().treeHash());
        assertThat(record()).isRegularFile();
        assertThat(Files.readString(record())).contains(hash);

        // the next run takes the recorded hash rather than hashing the manifest: a planted one proves it
        Files.writeString(record(), Files.readString(record()).replace(hash, PLANTED));
        ReleaseSource next = ReleaseSource.of(releaseDir, "1.0");
        assertThat(next.treeHash(next.manifest())).isEqualTo(PLANTED);
    }

    @Test
    void aRecordOfOtherManifestBytesIsHashedAgainAndRecordedAnew() throws IOException {
        Path releaseDir = rendered("a.conf");
        ReleaseSource first = ReleaseSource.of(releaseDir, "1.0");
        String old = first.treeHash(first.manifest());
        Files.writeString(record(), Files.readString(record()).replace(old, PLANTED));

        rendered("a.conf", "c.conf"); // rendered again: other bytes
        ReleaseSource next = ReleaseSource.of(releaseDir, "1.0");

        String hash = next.treeHash(next.manifest());
        assertThat(hash).isEqualTo(next.manifest().treeHash()).isNotEqualTo(old).isNotEqualTo(PLANTED);
        assertThat(Files.readString(record())).contains(hash).doesNotContain(PLANTED);
    }

    @Test
    void aDamagedRecordOrALinkInItsPlaceIsNoRecord() throws IOException {
        Path releaseDir = rendered("a.conf");
        String hash = ReleaseSource.of(releaseDir, "1.0").manifest().treeHash();
        // a record that would be believed, but for one damage each: it holds the planted hash
        String planted = recordFor(releaseDir).replace(hash, PLANTED);
        String checksum = planted.split("\n")[1];
        for (String damaged : List.of(
                "",
                planted.replace(PLANTED, PLANTED.substring(2)),
                planted.replace(PLANTED, PLANTED.toUpperCase(java.util.Locale.ROOT)),
                planted.replace("facsimile tree hash 1", "facsimile tree hash 0"),
                planted.replace(checksum, checksum.replace(checksum.charAt(0), checksum.charAt(0) == '0' ? '1' : '0')),
                planted + "more\n")) {
            Files.writeString(record(), damaged);
            ReleaseSource source = ReleaseSource.of(releaseDir, "1.0");
            assertThat(source.treeHash(source.manifest())).as(damaged).isEqualTo(hash);
        }

        Files.writeString(record(), planted);
        ReleaseSource believed = ReleaseSource.of(releaseDir, "1.0");
        assertThat(believed.treeHash(believed.manifest())).isEqualTo(PLANTED);

        Path elsewhere = root.resolve("elsewhere");
        Files.writeString(elsewhere, planted);
        Files.delete(record());
        Files.createSymbolicLink(record(), elsewhere);
        ReleaseSource source = ReleaseSource.of(releaseDir, "1.0");
        assertThat(source.treeHash(source.manifest())).isEqualTo(hash);
        // the link was replaced, not followed
        assertThat(Files.isSymbolicLink(record())).isFalse();
        assertThat(Files.readString(elsewhere, StandardCharsets.UTF_8)).contains(PLANTED);
    }

    @Test
    void aTargetOtherThanTheSourcesManifestIsHashedItself() throws IOException {
        Path releaseDir = rendered("a.conf", "b.conf");
        ReleaseSource source = ReleaseSource.of(releaseDir, "1.0");
        source.treeHash(source.manifest());
        Manifest excluded = new Manifest(source.manifest().files().subList(0, 1));

        assertThat(source.treeHash(excluded))
                .isEqualTo(excluded.treeHash())
                .isNotEqualTo(source.manifest().treeHash());
    }

    @Test
    void aReleaseRenderedByThisRunIsTakenAsWrittenAndItsHashRecordedForTheNextRun() throws IOException {
        Path releaseDir = rendered("a.conf", "b.conf");
        Manifest written = Manifest.read(releaseDir.resolve("manifest.json"));
        byte[] json = Files.readAllBytes(releaseDir.resolve("manifest.json"));

        ReleaseSource source = ReleaseSource.rendered(releaseDir, "1.0", written, json);
        assertThat(source.manifest()).isSameAs(written); // not read back and parsed again
        assertThat(source.manifestJson(written)).isSameAs(json).isEqualTo(written.toJson()); // nor made again
        String hash = source.treeHash(source.manifest());
        assertThat(hash).isEqualTo(written.treeHash());
        // recorded for those bytes: the next run, which reads the file, takes it
        Files.writeString(record(), Files.readString(record()).replace(hash, PLANTED));
        ReleaseSource next = ReleaseSource.of(releaseDir, "1.0");
        assertThat(next.treeHash(next.manifest())).isEqualTo(PLANTED);

        Files.delete(releaseDir.resolve("manifest.json"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ReleaseSource.rendered(releaseDir, "1.0", written, json))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("holds no rendered release");
    }

    @Test
    void aFleetsNodesAskingAtOnceTakeTheHashOnce() throws Exception {
        Manifest manifest =
                ReleaseSource.of(rendered("a.conf", "b.conf"), "1.0").manifest();
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        TreeHashRecord record = TreeHashRecord.none(m -> {
            taken.incrementAndGet();
            inside.countDown();
            sleep(100); // the other nodes ask meanwhile
            return m.treeHash();
        });
        ExecutorService nodes = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> hashes = new ArrayList<>();
            hashes.add(nodes.submit(() -> record.treeHash(manifest)));
            inside.await();
            for (int i = 0; i < 7; i++) {
                hashes.add(nodes.submit(() -> record.treeHash(manifest)));
            }
            for (Future<String> hash : hashes) {
                assertThat(hash.get()).isEqualTo(manifest.treeHash());
            }
        } finally {
            nodes.shutdownNow();
        }
        assertThat(taken).hasValue(1);
    }

    @Test
    void theManifestDocumentIsMadeOnceForEveryNodeAndAnExcludingTargetGetsItsOwn() throws IOException {
        ReleaseSource source = ReleaseSource.of(rendered("a.conf", "b.conf"), "1.0");
        Manifest manifest = source.manifest();

        byte[] first = source.manifestJson(manifest);
        assertThat(first).isEqualTo(manifest.toJson());
        assertThat(source.manifestJson(manifest)).isSameAs(first);
        Manifest excluded = new Manifest(manifest.files().subList(0, 1));
        assertThat(source.manifestJson(excluded)).isEqualTo(excluded.toJson()).isNotEqualTo(first);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The record the first deploy of {@code releaseDir} writes; removed again. */
    private String recordFor(Path releaseDir) throws IOException {
        ReleaseSource source = ReleaseSource.of(releaseDir, "1.0");
        source.treeHash(source.manifest());
        String text = Files.readString(record());
        Files.delete(record());
        return text;
    }
}

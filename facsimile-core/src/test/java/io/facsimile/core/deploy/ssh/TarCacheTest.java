package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.release.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar streams of a run: built once and sent to every node, unless too large to keep. */
class TarCacheTest {

    @TempDir
    Path dir;

    List<ManifestEntry> files() throws IOException {
        List<ManifestEntry> files = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String path = "d/f" + i;
            byte[] content = ("file " + i + "\n").repeat(200 + i).getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(dir.resolve("d"));
            Files.write(dir.resolve(path), content);
            files.add(new ManifestEntry(path, content.length, "0644", "0".repeat(64), false));
        }
        return files;
    }

    @Test
    void theSameStreamIsBuiltOnceAndEveryNodeIsToldOfEveryFile() throws IOException {
        List<ManifestEntry> files = files();
        Map<String, byte[]> records = Map.of(".facsimile/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
        TarCache cache = new TarCache(1 << 20);
        List<Long> first = new ArrayList<>();
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        cache.input(dir, files, records, first::add).writeTo(one);

        // the second node's stream comes from memory: the tree is not read again
        for (ManifestEntry e : files) {
            Files.delete(dir.resolve(e.path()));
        }
        List<Long> second = new ArrayList<>();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        cache.input(
                        dir,
                        List.copyOf(files),
                        Map.of(".facsimile/manifest.json", "{}".getBytes(StandardCharsets.UTF_8)),
                        second::add)
                .writeTo(two);

        assertThat(two.toByteArray()).isEqualTo(one.toByteArray());
        assertThat(first)
                .hasSize(40)
                .isEqualTo(second)
                .isEqualTo(files.stream().map(ManifestEntry::size).toList());
    }

    @Test
    void recordsOfTheSameNamesAndSizesButOtherBytesAreAnotherStream() throws IOException {
        List<ManifestEntry> files = files();
        TarCache cache = new TarCache(1 << 20);
        String manifest = ".facsimile/manifest.json";
        cache.input(dir, files, Map.of(manifest, bytes("{\"a\":1}")), bytes -> {})
                .writeTo(new ByteArrayOutputStream());
        ByteArrayOutputStream same = new ByteArrayOutputStream();
        cache.input(dir, files, Map.of(manifest, bytes("{\"a\":1}")), bytes -> {})
                .writeTo(same);
        Files.delete(dir.resolve(files.get(0).path()));

        // the same document again comes from memory; another of the same size is built from the tree
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        cache.input(dir, files, Map.of(manifest, bytes("{\"a\":1}")), bytes -> {})
                .writeTo(again);
        assertThat(again.toByteArray()).isEqualTo(same.toByteArray());
        assertThatThrownBy(() -> cache.input(dir, files, Map.of(manifest, bytes("{\"b\":2}")), bytes -> {})
                        .writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theStreamsKeptStayWithinTheLimitTogether() throws IOException {
        List<ManifestEntry> files = files();
        // room for one stream of the 40 files, not for two
        long one = files.stream().mapToLong(e -> e.size() + 1024).sum();
        TarCache cache = new TarCache(one + one / 2);
        cache.input(dir, files, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream());
        List<ManifestEntry> others = files.subList(1, files.size());
        cache.input(dir, others, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream());
        Files.delete(dir.resolve(files.get(5).path()));

        // the first is kept and needs the tree no more; the second was not kept and reads it again
        cache.input(dir, files, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream());
        assertThatThrownBy(() -> cache.input(dir, others, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aStreamLargerThanTheLimitIsWrittenAsItGoes() throws IOException {
        List<ManifestEntry> files = files();
        TarCache cache = new TarCache(1024);
        cache.input(dir, files, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream());
        Files.delete(dir.resolve(files.get(0).path()));

        // not kept: the second node reads the tree itself, and finds it changed
        assertThatThrownBy(() -> cache.input(dir, files, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void nodesThatStartWhileTheStreamIsBuiltEachGetAllOfIt() throws Exception {
        List<ManifestEntry> files = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String path = "many/f" + i;
            byte[] content = ("line " + i + "\n").repeat(i % 97 + 1).getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(dir.resolve("many"));
            Files.write(dir.resolve(path), content);
            files.add(new ManifestEntry(path, content.length, "0640", "0".repeat(64), false));
        }
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        TarStream.write(direct, dir, files, Map.of(), bytes -> {});
        TarCache cache = new TarCache(64L << 20);

        // eight nodes at once, each starting at its own moment of the build
        List<java.util.concurrent.Future<byte[]>> nodes = new ArrayList<>();
        List<List<Long>> told = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int n = 0; n < 8; n++) {
                List<Long> progress = java.util.Collections.synchronizedList(new ArrayList<>());
                told.add(progress);
                nodes.add(pool.submit(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    cache.input(dir, files, Map.of(), progress::add).writeTo(out);
                    return out.toByteArray();
                }));
            }
            for (java.util.concurrent.Future<byte[]> node : nodes) {
                assertThat(node.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(direct.toByteArray());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> sizes = files.stream().map(ManifestEntry::size).toList();
        told.forEach(progress -> assertThat(progress).isEqualTo(sizes));
    }

    @Test
    void aBuildThatFailsFailsEveryNodeAndIsNotKept() throws IOException {
        List<ManifestEntry> files = files();
        Files.write(dir.resolve(files.get(7).path()), bytes("another size"));
        TarCache cache = new TarCache(1 << 20);

        for (int node = 0; node < 2; node++) {
            assertThatThrownBy(
                            () -> cache.input(dir, files, Map.of(), bytes -> {}).writeTo(new ByteArrayOutputStream()))
                    .hasMessageContaining("render the instance again");
        }
        // the tree put right: built again, not the failure kept
        files();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cache.input(dir, files, Map.of(), bytes -> {}).writeTo(out);
        assertThat(out.size()).isGreaterThan(40 * 200);
    }
}

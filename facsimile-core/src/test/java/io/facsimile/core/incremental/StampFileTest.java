package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampFileTest {

    @TempDir
    Path dir;

    @Test
    void aStampReadsBackAsItWasWrittenWhateverItsPathsHold() throws IOException {
        ReleaseStamp stamp = new ReleaseStamp(
                7,
                "abc",
                new ResolutionKey("def", "layers", "prod", List.of("HOME", "TIER")),
                1_795_995_585_298_906_982L,
                Map.of("/p/a.vm", "01", "/p/b = c: d#e!.vm", "02", "/p/\\ \n\tünï.vm", "03"),
                List.of(
                        new FileState("/x/y", "f", 12, 1_795_995_585_000_000_001L, "rw-r--r--", ""),
                        new FileState(" /x/l=1:2", "l", 0, 7, "rwxrwxrwx", "../y\\z\n")),
                "out",
                1_795_995_586_000_000_000L,
                1_795_995_586_000_000_001L,
                "0a1b");
        Path file = dir.resolve(".i.stamp");
        Files.write(file, StampFile.write(stamp));

        assertThat(StampFile.read(file)).isEqualTo(stamp);
    }

    @Test
    void aStampOfACopyHasNoResolutionAndAKeyMayHaveNoLayers() throws IOException {
        Path file = dir.resolve(".i.stamp");
        ReleaseStamp copy = new ReleaseStamp(7, "abc", null, 1, Map.of(), List.of(), "out", 2, 3, null);
        Files.write(file, StampFile.write(copy));
        assertThat(StampFile.read(file)).isEqualTo(copy);

        ReleaseStamp noLayers = new ReleaseStamp(
                7, "abc", new ResolutionKey("def", null, "dev", List.of()), 1, Map.of(), List.of(), "out", 2, 3, null);
        Files.write(file, StampFile.write(noLayers));
        assertThat(StampFile.read(file)).isEqualTo(noLayers);
    }

    @Test
    void aFileMissingAKeyOrWithABrokenNumberIsNoStampNorIsAStampOfTheFormerJsonFormat() throws IOException {
        Path file = dir.resolve(".i.stamp");
        Files.write(file, StampFile.write(new ReleaseStamp(7, "abc", null, 1, Map.of(), List.of(), "out", 2, 3, null)));
        String written = Files.readString(file);

        Files.writeString(file, written.replaceAll("(?m)^outputs=.*$", ""));
        assertThatThrownBy(() -> StampFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("outputs");

        Files.writeString(file, written.replaceAll("(?m)^newestOutput=.*$", "newestOutput=later"));
        assertThatThrownBy(() -> StampFile.read(file)).isInstanceOf(IOException.class);

        Files.writeString(file, "{\"version\": 6, \"inputs\": \"abc\", \"outputs\": \"out\"}");
        assertThatThrownBy(() -> StampFile.read(file)).isInstanceOf(IOException.class);
    }
}

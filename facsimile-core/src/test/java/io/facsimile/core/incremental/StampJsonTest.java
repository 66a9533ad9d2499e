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

class StampJsonTest {

    @TempDir
    Path dir;

    @Test
    void aStampReadsBackAsItWasWritten() throws IOException {
        ReleaseStamp stamp = new ReleaseStamp(
                5,
                "abc",
                new ResolutionKey("def", "layers", "prod", List.of("HOME", "TIER")),
                1_795_995_585_298_906_982L,
                Map.of("/p/a.vm", "01", "/p/b.vm", "02"),
                List.of(
                        new FileState("/x/y", "f", 12, 1_795_995_585_000_000_001L, "rw-r--r--", ""),
                        new FileState("/x/l", "l", 0, 7, "rwxrwxrwx", "../y")),
                "out",
                1_795_995_586_000_000_000L);
        Path file = dir.resolve(".i.stamp");
        Files.write(file, StampJson.write(stamp));

        assertThat(StampJson.read(file)).isEqualTo(stamp);
    }

    @Test
    void aStampOfACopyHasNoResolution() throws IOException {
        ReleaseStamp stamp = new ReleaseStamp(5, "abc", null, 1, Map.of(), List.of(), "out", 2);
        Path file = dir.resolve(".i.stamp");
        Files.write(file, StampJson.write(stamp));

        assertThat(StampJson.read(file)).isEqualTo(stamp);
    }

    @Test
    void unknownFieldsAreIgnoredAndBrokenJsonIsRefused() throws IOException {
        Path file = dir.resolve(".i.stamp");
        Files.writeString(file, "{\"version\": 4, \"later\": [true, null, {\"x\": 1.5}], \"inputs\": \"abc\"}");
        assertThat(StampJson.read(file).version()).isEqualTo(4);
        assertThat(StampJson.read(file).inputs()).isEqualTo("abc");

        Files.writeString(file, "{\"version\": ");
        assertThatThrownBy(() -> StampJson.read(file)).isInstanceOf(IOException.class);
    }
}

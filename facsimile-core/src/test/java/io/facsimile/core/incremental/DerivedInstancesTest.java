package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerivedInstancesTest {

    @TempDir
    Path dir;

    private Path defs;
    private Path record;
    private final AtomicInteger derivations = new AtomicInteger();

    @BeforeEach
    void layers() throws IOException {
        defs = Files.createDirectories(dir.resolve("defs"));
        record = dir.resolve("target/facsimile/.instances");
        for (String layer : List.of("dev.yaml", "prod.yaml")) {
            Files.writeString(defs.resolve(layer), "a: 1\n");
            Files.setLastModifiedTime(
                    defs.resolve(layer), FileTime.from(Instant.now().minusSeconds(60)));
        }
    }

    /** A fresh run's derivation, counting how often the layers are really parsed. */
    private List<String> derive(String project) {
        return DerivedInstances.of(record, new SourceFiles(defs), project, () -> {
            derivations.incrementAndGet();
            try (var files = Files.list(defs)) {
                return files.map(f -> f.getFileName().toString().replace(".yaml", ""))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    @Case("input.stale-record")
    void theNamesAreDerivedOnceForAListingAndAgainWhenItChanges() throws IOException {
        // no release dirs yet: nothing is written, not even their directory
        assertThat(derive("shop")).containsExactly("dev", "prod");
        assertThat(record.getParent()).doesNotExist();
        Files.createDirectories(record.getParent());
        derivations.set(0);
        assertThat(derive("shop")).containsExactly("dev", "prod");
        assertThat(derive("shop")).containsExactly("dev", "prod");
        assertThat(derivations).hasValue(1);
        // another project name, a new layer, an edited layer: derived again
        derive("other");
        assertThat(derivations).hasValue(2);
        Files.writeString(defs.resolve("test.yaml"), "a: 1\n");
        assertThat(derive("other")).containsExactly("dev", "prod", "test");
        assertThat(derivations).hasValue(3);
        Files.setLastModifiedTime(
                defs.resolve("dev.yaml"), FileTime.from(Instant.now().minusSeconds(30)));
        derive("other");
        assertThat(derivations).hasValue(4);
    }

    @Test
    @Case("input.stale-record")
    void aLayerRewrittenInTheTickOfItsTimeIsTakenByContent() throws IOException {
        Files.createDirectories(record.getParent());
        FileTime recent = FileTime.from(Instant.now().minusMillis(50));
        Files.setLastModifiedTime(defs.resolve("dev.yaml"), recent);
        derive("shop");
        // the same size and time: only its content tells
        Files.writeString(defs.resolve("dev.yaml"), "b: 2\n");
        Files.setLastModifiedTime(defs.resolve("dev.yaml"), recent);
        derive("shop");
        assertThat(derivations).hasValue(2);
    }

    @Test
    void aDamagedRecordIsDerivedAgainAndReplaced() throws IOException {
        Files.createDirectories(record.getParent());
        derive("shop");
        Files.writeString(record, "{\"version\":1,\"key\":");
        assertThat(derive("shop")).containsExactly("dev", "prod");
        assertThat(derivations).hasValue(2);
        assertThat(derive("shop")).containsExactly("dev", "prod");
        assertThat(derivations).hasValue(2);
        // no temporary file left beside it
        try (var files = Files.list(record.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(".instances");
        }
    }
}

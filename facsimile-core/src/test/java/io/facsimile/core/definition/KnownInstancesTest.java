package io.facsimile.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownInstancesTest {

    @TempDir
    Path basedir;

    DefinitionResolver resolver;

    @BeforeEach
    void layers() throws IOException {
        Path defs = Files.createDirectories(basedir.resolve("src/main/facsimile"));
        for (String name : List.of("facsimile", "shop", "dev", "local", "prod", "eu1", "us1", "staging.us1")) {
            Files.writeString(defs.resolve(name + ".yaml"), "x: 1\n");
        }
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        resolver = new DefinitionResolver(DefinitionSources.locate(basedir, null, List.of()), project);
    }

    @Test
    void acceptsConfiguredAndDerivableNames() {
        KnownInstances known = new KnownInstances(resolver, List.of("dev.alice"));
        assertThat(known.check("dev.alice")).isEqualTo("dev.alice"); // configured, alice has no layer
        assertThat(known.check("prod.us1")).isEqualTo("prod.us1"); // every segment has a layer
        assertThat(known.check("staging.us1")).isEqualTo("staging.us1"); // its own layer file
    }

    @Test
    void refusesANameWithASegmentWithoutALayerSuggestingTheNearest() {
        KnownInstances known = new KnownInstances(resolver, List.of("dev.local", "prod.eu1", "prod.us1"));
        assertThatThrownBy(() -> known.check("prod.eu2"))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("unknown instance 'prod.eu2': not one of the configured instances, and no layer file"
                        + " eu2.yaml (did you mean prod.eu1?); instances: dev.local, prod.eu1, prod.us1");
        assertThatThrownBy(() -> new KnownInstances(resolver, List.of()).check("stagin.us1"))
                .hasMessageStartingWith("unknown instance 'stagin.us1': no layer file stagin.yaml"
                        + " (did you mean staging.us1?); instances: ");
    }

    @Test
    void listsTheConfiguredInstancesNotLayerNames() {
        assertThat(new KnownInstances(resolver, List.of("prod.eu1", "dev.local")).listing())
                .containsExactly("prod.eu1", "dev.local");
    }
}

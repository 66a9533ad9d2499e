package io.facsimile.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold scenario runs whole mvn processes (not in the default build); what it reads of the reactor is tested here. */
class ColdRenderTest {

    @TempDir
    Path reactor;

    @Test
    void thePluginVersionIsThatOfThePluginJarTheReactorBuilt() throws Exception {
        Path target = Files.createDirectories(reactor.resolve("facsimile-maven-plugin/target"));
        Files.createFile(target.resolve("facsimile-maven-plugin-1.2.3-SNAPSHOT-sources.jar"));
        Files.createFile(target.resolve("original-facsimile-core.jar"));
        Files.createFile(target.resolve("facsimile-maven-plugin-1.2.3-SNAPSHOT.jar"));

        assertThat(ColdRender.pluginVersion(reactor)).isEqualTo("1.2.3-SNAPSHOT");
    }

    @Test
    void withoutAPluginJarItSaysHowToBuildOne() throws Exception {
        Files.createDirectories(reactor.resolve("facsimile-maven-plugin/target"));

        assertThatThrownBy(() -> ColdRender.pluginVersion(reactor)).hasMessageContaining("bench/run.sh");
    }
}

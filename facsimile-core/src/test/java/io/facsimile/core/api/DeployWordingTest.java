package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DeployWordingTest {

    @Test
    void countsTheChosenTargetsInPlainWords() {
        Set<String> all = Set.of("api", "db", "web");
        assertThat(DeployWording.targets(all, Set.of("api"))).isEqualTo("1 target");
        assertThat(DeployWording.targets(all, Set.of())).isEqualTo("3 targets");
        assertThat(DeployWording.targets(all, Set.of("api", "web"))).isEqualTo("2 targets");
    }
}

package io.facsimile.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotedTest {

    @Test
    void aStringIsQuotedAMapOrAListIsNamedAnythingElsePrintsAsItIs() {
        assertThat(Quoted.describe("db1")).isEqualTo("\"db1\"");
        assertThat(Quoted.describe(Map.of("a", 1))).isEqualTo("a map");
        assertThat(Quoted.describe(List.of(1))).isEqualTo("a list");
        assertThat(Quoted.describe(12)).isEqualTo("12");
        assertThat(Quoted.describe(null)).isEqualTo("null");
    }
}

package io.facsimile.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void suggestsTheNearestNameWithinATypo() {
        List<String> known = List.of("dev.local", "prod.eu1", "prod.us1", "staging.us1");
        assertThat(Suggestions.nearest("stagin.us1", known)).contains("staging.us1");
        assertThat(Suggestions.nearest("prod.eu2", known)).contains("prod.eu1");
        assertThat(Suggestions.didYouMean("prod.eu2", known)).isEqualTo(" (did you mean prod.eu1?)");
    }

    @Test
    void suggestsNothingForAFarName() {
        assertThat(Suggestions.nearest("qa.x9", List.of("dev.local", "prod.eu1")))
                .isEmpty();
        assertThat(Suggestions.didYouMean("x", List.of("x"))).isEmpty();
    }

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestions.edits("host", "host")).isZero();
        assertThat(Suggestions.edits("hots", "host")).isEqualTo(2);
        assertThat(Suggestions.edits("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.edits("", "abc")).isEqualTo(3);
        assertThat(Suggestions.edits("parallel", "paralel")).isEqualTo(1);
    }
}

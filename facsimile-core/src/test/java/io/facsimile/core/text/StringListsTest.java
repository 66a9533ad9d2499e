package io.facsimile.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StringListsTest {

    private static final StringLists.Complaint WHERE =
            (index, found) -> new IllegalArgumentException(index + ": " + Quoted.describe(found));

    @Test
    void nothingIsNoStringsOneStringIsOneAndAListIsItsElements() {
        assertThat(StringLists.of(null, WHERE)).isEmpty();
        assertThat(StringLists.of("echo hi", WHERE)).containsExactly("echo hi");
        assertThat(StringLists.of(List.of("a", "b"), WHERE)).containsExactly("a", "b");
    }

    @Test
    void aValueOfAnotherTypeIsComplainedAboutAsAWhole() {
        assertThatThrownBy(() -> StringLists.of(Map.of("a", 1), WHERE)).hasMessage("-1: a map");
        assertThatThrownBy(() -> StringLists.of(12, WHERE)).hasMessage("-1: 12");
    }

    @Test
    void theFirstElementThatIsNoStringIsComplainedAboutByItsIndex() {
        assertThatThrownBy(() -> StringLists.of(Arrays.asList("a", 2, null), WHERE))
                .hasMessage("1: 2");
    }
}

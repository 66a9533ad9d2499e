package io.facsimile.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutputTimestampTest {

    @Test
    void readsIsoTimesAndEpochSeconds() {
        assertThat(OutputTimestamp.parse("2026-11-24T00:00:00Z")).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(OutputTimestamp.parse("2026-11-24T01:00:00+01:00")).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(OutputTimestamp.parse("1700000000")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(OutputTimestamp.parse("2026-11-24T00:00:00.750Z")).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void absentOrDisabledGivesTheFixedEpoch() {
        assertThat(OutputTimestamp.parse(null)).isEqualTo(OutputTimestamp.DEFAULT);
        assertThat(OutputTimestamp.parse(" ")).isEqualTo(OutputTimestamp.DEFAULT);
        assertThat(OutputTimestamp.parse("x")).isEqualTo(OutputTimestamp.DEFAULT);
        assertThat(OutputTimestamp.DEFAULT).isEqualTo(Instant.parse("1980-01-01T00:00:02Z"));
    }

    @Test
    void garbageAndOutOfRangeAreUserErrors() {
        assertThatThrownBy(() -> OutputTimestamp.parse("yesterday"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("\"yesterday\"")
                .hasMessageContaining("2026-11-24T00:00:00Z");
        assertThatThrownBy(() -> OutputTimestamp.parse("10")).hasMessageContaining("outside");
        assertThatThrownBy(() -> OutputTimestamp.parse("2100-01-01T00:00:00Z")).hasMessageContaining("outside");
    }
}

package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DeployLogTest {

    private final DeployLog log = new DeployLog();

    @Test
    void aLineIsOneJsonObjectThatReadsBackAsTheSameEntry() throws IOException {
        DeployLogEntry entry =
                new DeployLogEntry("1.0-abc", "ok", "ann \"the\" op", "2026-11-30T12:00:00Z", "h", "releases", 1.5);
        String line = log.line(entry);

        assertThat(line)
                .isEqualTo(
                        "{\"release\":\"1.0-abc\",\"outcome\":\"ok\",\"who\":\"ann \\\"the\\\" op\","
                                + "\"when\":\"2026-11-30T12:00:00Z\",\"hash\":\"h\",\"strategy\":\"releases\",\"seconds\":1.5}");
        assertThat(DeployLog.entry(line)).isEqualTo(entry);
        DeployLogEntry untimed = new DeployLogEntry("r", "failed", "w", "t", "h", "sync");
        assertThat(DeployLog.entry(log.line(untimed))).isEqualTo(untimed);
    }

    @Test
    void theWatchdogsLineAndKeysOfANewerToolAreRead() throws IOException {
        assertThat(DeployLog.entry("{\"release\":\"r\",\"outcome\":\"reverted\",\"who\":\"watchdog\","
                        + "\"when\":\"t\",\"hash\":\"h\",\"strategy\":\"releases\"}"))
                .isEqualTo(new DeployLogEntry("r", "reverted", "watchdog", "t", "h", "releases"));
        assertThat(DeployLog.entry(
                        "{\"release\":\"r\",\"later\":{\"x\":[1,2]},\"outcome\":\"ok\",\"seconds\":3,\"n\":null}"))
                .isEqualTo(new DeployLogEntry("r", "ok", null, null, null, null, 3.0));
    }

    @Test
    void aTornLineIsNotAnEntry() {
        assertThatThrownBy(() -> DeployLog.entry("{\"release\":\"r\",\"outc")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> DeployLog.entry("[\"r\"]")).isInstanceOf(IOException.class);
    }
}

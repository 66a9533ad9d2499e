package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code facsimile:history}: each node's deploy log as a table, read through the transport. */
class HistoryTest extends LocalDeployFixture {

    @Override
    DeployEngine newEngine(DeployListener reportTo) {
        return new DeployEngine(
                reportTo,
                "alice",
                Duration.ofSeconds(5),
                Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC));
    }

    String deploy(String version, String postcmd) {
        write("app.conf", "v=" + version + "\n");
        return only(engine.deploy(DeployRequest.of(source(version), spec(Map.of("postcmd", postcmd))), local()))
                .release();
    }

    List<NodeHistory> history() {
        return engine.history(DeployRequest.onNodes(DeploySpec.local("x")), local());
    }

    @Test
    void printsEveryEntryWithTimeWhoReleaseOutcomeAndDurationNewestLast() throws IOException {
        String one = deploy("1.0", "true");
        String two = deploy("2.0", "exit 1");
        NodeHistory h = history().get(0);
        assertThat(h.current()).hasValue(one);
        assertThat(h.entries())
                .extracting(DeployLogEntry::release, DeployLogEntry::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(one, "ok"),
                        org.assertj.core.groups.Tuple.tuple(two, "failed"));
        assertThat(h.entries())
                .allSatisfy(e -> assertThat(e.seconds()).isNotNull().isGreaterThan(0));
        List<String> table = h.table(0);
        assertThat(table.get(0)).isEqualTo("local (" + home + "): 2 entries, current " + one);
        assertThat(table.get(1)).contains("time", "who", "release", "outcome", "seconds");
        assertThat(table.get(2)).contains("2026-11-29T10:00:00Z ", "alice", one, "ok");
        assertThat(table.get(3)).contains(two, "failed");
        List<String> last = h.table(1);
        assertThat(last).hasSize(3);
        assertThat(last.get(0)).contains("2 entries, the last 1 shown");
        assertThat(last.get(2)).contains(two);
    }

    @Test
    void anOldEntryWithoutADurationAndATornLastLineAreRead() throws Exception {
        Files.createDirectories(home.resolve(".facsimile"));
        Files.writeString(
                home.resolve(".facsimile/deploy-log.jsonl"),
                "{\"release\":\"1.0-abc\",\"outcome\":\"ok\","
                        + "\"who\":\"bob\",\"when\":\"2025-01-01T00:00:00Z\",\"hash\":\"h\",\"strategy\":\"releases\"}\n"
                        + "{\"release\":\"2.0-d",
                StandardCharsets.UTF_8);
        NodeHistory h = history().get(0);
        assertThat(h.entries())
                .singleElement()
                .satisfies(e -> assertThat(e.seconds()).isNull());
        assertThat(h.table(0).get(2)).contains("bob", "1.0-abc").endsWith("-");
        assertThat(h.current()).isEmpty();
        // an entry written now reads back with its duration
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        DeployLogEntry e = new DeployLogEntry("r", "ok", "w", "t", "h", "releases", 1.5);
        assertThat(json.readValue(json.writeValueAsString(e), DeployLogEntry.class))
                .isEqualTo(e);
    }

    @Test
    @Case("deploy.history-confined")
    void aMetaDirectoryLinkedOutsideIsRefusedAndNotRead() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("deploy-log.jsonl"), "{\"release\":\"planted\"}\n");
        Files.createDirectories(home);
        Files.createSymbolicLink(home.resolve(".facsimile"), outside);
        assertThatThrownBy(this::history)
                .isInstanceOf(DeployException.class)
                .hasMessageContaining(home + "/.facsimile");
    }
}

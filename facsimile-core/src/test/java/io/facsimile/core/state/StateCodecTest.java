package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    private static StateDocument parse(String json) throws StateCodec.MalformedStateException {
        return StateCodec.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheOriginalToolsFormat() throws Exception {
        StateDocument document = parse("""
                { "passwd": {"proj0": "pw0", "proj1": "pw1"},
                  "instances": {"inmap": {"apid.0": {"uiid": 1, "logical_name": "api", "instance_name": "apid.0"}},
                                "uiidmap": {"1": {"uiid": 1, "logical_name": "api", "instance_name": "apid.0"}}} }
                """);

        assertThat(document.passwords()).containsOnlyKeys("proj0", "proj1");
        assertThat(document.passwords().get("proj1").reveal()).isEqualTo("pw1");
        assertThat(document.serviceInstances())
                .containsExactlyEntriesOf(Map.of("apid.0", new ServiceInstanceRecord(1, "api", "apid.0")));
        assertThat(document.unknown().isEmpty()).isTrue();
    }

    @Test
    void keysOfANewerToolSurviveARoundTripAsWritten() throws Exception {
        StateDocument document = parse("""
                {"passwd": {"a": "x"},
                 "later": {"ratio": 1.50, "big": 123456789012345678901234567890, "long": 12345678901,
                           "list": [true, false, null, -7, "s", {"nested": []}], "small": 1E-12}}
                """);

        String written = new String(StateCodec.write(document), StandardCharsets.UTF_8);
        assertThat(written)
                .contains(
                        "\"ratio\": 1.50",
                        "\"big\": 123456789012345678901234567890",
                        "\"long\": 12345678901",
                        "\"small\": 1E-12")
                .contains("true", "false", "null", "-7", "\"s\"", "\"nested\": []");
        assertThat(parse(written).unknown()).isEqualTo(document.unknown());
    }

    @Test
    void recordKnownOnlyByUiidIsKeptAndWrittenToBothMaps() throws Exception {
        StateDocument document = parse("""
                {"instances": {"uiidmap": {"7": {"uiid": 7, "logical_name": "w", "instance_name": "wd.0"}}}}
                """);

        assertThat(document.serviceInstances()).containsOnlyKeys("wd.0");
        String written = new String(StateCodec.write(document), StandardCharsets.UTF_8);
        assertThat(written).contains("\"inmap\": {\n      \"wd.0\"", "\"uiidmap\": {\n      \"7\"");
    }

    @Test
    void unknownKeyInsideInstancesIsRefusedRatherThanDropped() {
        assertThatThrownBy(() -> parse("{\"instances\": {\"inmap\": {}, \"bymac\": {}}}"))
                .hasMessageContaining("instances.\"bymac\"")
                .hasMessageContaining("newer version");
    }

    @Test
    void outputIsSortedAndUsesNewlinesOnly() throws Exception {
        StateDocument document =
                parse("{\"zeta\": 1, \"alpha\": {\"b\": 1, \"a\": 2}, \"passwd\": {\"b\": \"x\", \"a\": \"y\"}}");

        String written = new String(StateCodec.write(document), StandardCharsets.UTF_8);

        assertThat(written).doesNotContain("\r").endsWith("}\n");
        assertThat(written.indexOf("\"alpha\"")).isLessThan(written.indexOf("\"instances\""));
        assertThat(written.indexOf("\"instances\"")).isLessThan(written.indexOf("\"passwd\""));
        assertThat(written.indexOf("\"passwd\"")).isLessThan(written.indexOf("\"zeta\""));
        assertThat(written.indexOf("\"a\": 2")).isLessThan(written.indexOf("\"b\": 1"));
        assertThat(written.indexOf("\"a\": \"y\"")).isLessThan(written.indexOf("\"b\": \"x\""));
    }

    @Test
    void instanceNameMustMatchItsKey() {
        assertThatThrownBy(() -> parse("{\"instances\": {\"inmap\": {\"a.0\":"
                        + " {\"uiid\": 1, \"logical_name\": \"a\", \"instance_name\": \"b.0\"}}}}"))
                .hasMessageContaining("instances.inmap.\"a.0\"")
                .hasMessageContaining("must be equal");
    }
}

package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A canary secret echoed back by postcmd and shown by diff, raw and encoded: only ever seen as ****. */
class DeploySecretHardeningTest extends LocalDeployFixture {

    static final String CANARY = "cAnArY7+x/Qz9_w3Lk&m";
    static final List<String> FORMS = List.of(
            CANARY,
            URLEncoder.encode(CANARY, StandardCharsets.UTF_8),
            Base64.getEncoder().withoutPadding().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)));

    @Override
    RecordingListener newListener() {
        return new RecordingListener() {
            @Override
            public void finished(NodeResult result) {
                super.finished(result);
                lines.add(String.valueOf(result.reason()));
            }
        };
    }

    @BeforeEach
    void setUp() {
        write("password=" + CANARY + "\n");
    }

    void write(String content) {
        write("etc/app.properties", content);
    }

    DeployRequest request(String postcmd) {
        return DeployRequest.of(source("1.0"), spec(Map.of("postcmd", List.of(postcmd))))
                .withSecrets(Set.of(CANARY));
    }

    // Prints the secret raw, URL-encoded (by hand: + / & as %2B %2F %26) and in Base64, as a script might.
    static final String ECHO = "p=$(sed -n 's/^password=//p' etc/app.properties); echo \"raw $p\";"
            + " echo \"url $(printf %s \"$p\" | sed -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/&/%26/g')\";"
            + " echo \"b64 $(printf %s \"$p\" | base64)\"";

    @Test
    @Case("secrets.postcmd-output")
    void postcmdOutputShowsTheCanaryInNoEncoding() throws IOException {
        DeployReport ok = engine.deploy(request(ECHO), local());
        assertThat(ok.ok()).isTrue();
        write("password=" + CANARY + "\nchanged=1\n");
        DeployReport failed = engine.deploy(request(ECHO + "; exit 4"), local());
        assertThat(failed.ok()).isFalse();

        List<String> all = new ArrayList<>(lines);
        all.add(String.valueOf(failed.failureMessage()));
        failed.nodes().forEach(n -> all.add(n.reason()));
        assertThat(String.join("\n", all)).contains("raw ****", "url ****", "b64 ****");
        for (String form : FORMS) {
            assertThat(all).as("form %s", form).noneMatch(l -> l != null && l.contains(form));
        }
    }

    @Test
    @Case("secrets.diff-output")
    void diffShowsTheCanaryInNoEncoding() throws IOException {
        engine.deploy(request("true"), local());
        write("password=" + CANARY + "x\nurl=" + FORMS.get(1) + "\nb64=" + FORMS.get(2) + "\n");
        List<NodeDiff> diffs = engine.diff(request("true"), local());
        String text = diffs.stream().map(NodeDiff::text).reduce("", String::concat) + String.join("\n", lines);
        assertThat(text).contains("****");
        for (String form : FORMS) {
            assertThat(text).as("form %s", form).doesNotContain(form);
        }
    }
}

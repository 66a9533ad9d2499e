package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A canary secret echoed back by postcmd and shown by diff, raw and encoded: only ever seen as ****. */
class DeploySecretHardeningTest {

    static final String CANARY = "cAnArY7+x/Qz9_w3Lk&m";
    static final List<String> FORMS = List.of(CANARY, URLEncoder.encode(CANARY, StandardCharsets.UTF_8),
            Base64.getEncoder().withoutPadding().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)));

    @TempDir
    Path dir;

    Path tree;
    Path home;
    final RecordingListener listener = new RecordingListener() {
        @Override
        public void finished(NodeResult result) {
            super.finished(result);
            lines.add(String.valueOf(result.reason()));
        }
    };
    final List<String> seen = listener.lines;
    DeployEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        tree = dir.resolve("release/_DEPLOY_");
        home = dir.resolve("srv");
        engine = new DeployEngine(listener, "tester", Duration.ofSeconds(5), Clock.systemUTC());
        write("password=" + CANARY + "\n");
    }

    void write(String content) throws IOException {
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.properties"), content, StandardCharsets.UTF_8);
    }

    DeployRequest request(String postcmd) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("home", "unused");
        spec.put("postcmd", List.of(postcmd));
        return DeployRequest.of(ReleaseSource.scan(tree, "1.0"), DeploySpec.parse(spec)).withSecrets(Set.of(CANARY));
    }

    // Prints the secret raw, URL-encoded (by hand: + / & as %2B %2F %26) and in Base64, as a script might.
    static final String ECHO = "p=$(sed -n 's/^password=//p' etc/app.properties); echo \"raw $p\";"
            + " echo \"url $(printf %s \"$p\" | sed -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/&/%26/g')\";"
            + " echo \"b64 $(printf %s \"$p\" | base64)\"";

    @Test
    @Case("secrets.postcmd-output")
    void postcmdOutputShowsTheCanaryInNoEncoding() throws IOException {
        DeployReport ok = engine.deploy(request(ECHO), LocalTransport.factory(home));
        assertThat(ok.ok()).isTrue();
        write("password=" + CANARY + "\nchanged=1\n");
        DeployReport failed = engine.deploy(request(ECHO + "; exit 4"), LocalTransport.factory(home));
        assertThat(failed.ok()).isFalse();

        List<String> all = new ArrayList<>(seen);
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
        engine.deploy(request("true"), LocalTransport.factory(home));
        write("password=" + CANARY + "x\nurl=" + FORMS.get(1) + "\nb64=" + FORMS.get(2) + "\n");
        List<NodeDiff> diffs = engine.diff(request("true"), LocalTransport.factory(home));
        String text = diffs.stream().map(NodeDiff::text).reduce("", String::concat) + String.join("\n", seen);
        assertThat(text).contains("****");
        for (String form : FORMS) {
            assertThat(text).as("form %s", form).doesNotContain(form);
        }
    }
}

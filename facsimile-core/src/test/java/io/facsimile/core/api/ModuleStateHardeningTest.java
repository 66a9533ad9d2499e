package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing modules.yaml between runs through the facade: adding modules and service instances only
 * adds to the state; removing them keeps what they had, and bringing them back gets the same values.
 */
class ModuleStateHardeningTest {

    @TempDir
    Path basedir;

    private void modules(String yaml, int instances) throws IOException {
        Path definitions = Files.createDirectories(basedir.resolve("src/main/facsimile"));
        Files.writeString(definitions.resolve("modules.yaml"), yaml, StandardCharsets.UTF_8);
        Files.writeString(
                definitions.resolve("prod.yaml"),
                "modules:\n  api:\n    service:\n      n_instances: " + instances + "\n",
                StandardCharsets.UTF_8);
    }

    private Map<String, String> resolve() throws IOException {
        new Facsimile(FacsimileConfig.defaults(ProjectContext.of(basedir, "g", "shop", "1.0")), Reporter.silent())
                .resolve("prod");
        JsonNode state = JsonMapper.builder().build().readTree(stateFile().toFile());
        Map<String, String> flat = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = state.get("passwd").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            flat.put("passwd." + e.getKey(), e.getValue().asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        state.get("instances").get("inmap").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            flat.put("uiid." + e.getKey(), e.getValue().get("uiid").asText());
        }
        return flat;
    }

    private Path stateFile() {
        return basedir.resolve(".facsimile/state/prod/state.json");
    }

    private static final String THREE =
            "- name: api\n  logical_name: api\n  service: {port: 1}\n- name: db\n- name: cache\n";

    @Test
    @Case("state.modules-add-remove")
    void addingOnlyAddsAndRemovingKeeps() throws IOException {
        modules("- name: api\n  logical_name: api\n  service: {port: 1}\n- name: db\n", 2);
        Map<String, String> first = resolve();
        assertThat(first).containsKeys("passwd.api", "passwd.db", "uiid.apid.0", "uiid.apid.1");

        // Add a module and a service instance: everything stored before is still there, unchanged.
        modules(THREE, 3);
        Map<String, String> added = resolve();
        assertThat(added).containsAllEntriesOf(first).containsKeys("passwd.cache", "uiid.apid.2");
        assertThat(added).hasSize(first.size() + 2);

        // Remove two modules and two service instances: nothing is dropped, the file is not even rewritten.
        byte[] before = Files.readAllBytes(stateFile());
        modules("- name: api\n  logical_name: api\n  service: {port: 1}\n", 1);
        assertThat(resolve()).isEqualTo(added);
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);

        // Bring them back: the same passwords and uiids as before, still no write.
        modules(THREE, 3);
        assertThat(resolve()).isEqualTo(added);
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);
    }
}

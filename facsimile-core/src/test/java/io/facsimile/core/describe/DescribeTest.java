package io.facsimile.core.describe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.facsimile.core.FacsimileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeTest {

    private static final String PASSWORD = "s3cr3t-Stored-Pw";

    @TempDir
    Path basedir;

    ProjectFixture project;

    @BeforeEach
    void project() throws IOException {
        project = new ProjectFixture(basedir)
                .write(
                        "src/main/facsimile/facsimile.yaml",
                        "db:",
                        "  host: localhost",
                        "  port: 5432",
                        "  url: jdbc://${ref:db.host}",
                        "api:",
                        "  token: abc-token-123")
                .write(
                        "src/main/facsimile/prod.yaml",
                        "db:",
                        "  host: prod-db",
                        "deploy:",
                        "  nodes:",
                        "    web: [web1, web2:2222]",
                        "    db: [db1]")
                .write("src/main/facsimile/dev.yaml", "deploy:", "  home: /tmp/dev")
                .write(
                        "src/main/facsimile/modules.yaml",
                        "- name: web",
                        "- name: api",
                        "  logical_name: api",
                        "  service: {port: 9000}")
                .write(
                        "src/main/facsimile/tmpl/_ALL_/app.conf",
                        "# app",
                        "host=${instance.db.host}",
                        "other=$instance.db.hostname",
                        "port=$definition.db.port")
                .write(".facsimile/state/prod/state.json", "{\"passwd\": {\"web\": \"" + PASSWORD + "\"}}");
    }

    @Test
    void describeShowsEachLeafWithItsOriginAndWhatItShadowed() {
        String text = DescriptionWriter.write(project.facsimile().describe("prod", false), OutputFormat.TEXT);

        assertThat(text)
                .contains(
                        "Instance prod, state prod (.facsimile/state/prod/state.json, in clear: whoever can read the file)");
        assertThat(text)
                .contains(
                        "  facsimile  src/main/facsimile/facsimile.yaml\n  prod       src/main/facsimile/prod.yaml\n");
        assertThat(text)
                .contains("  db.host = \"prod-db\"  set by prod at src/main/facsimile/prod.yaml:2\n"
                        + "    shadows \"localhost\"  by facsimile at src/main/facsimile/facsimile.yaml:2\n");
        assertThat(text).contains("  db.port = 5432  set by facsimile at src/main/facsimile/facsimile.yaml:3\n");
        assertThat(text).contains("  db.url = \"jdbc://prod-db\"");
        assertThat(text)
                .contains(
                        "  deploy.nodes.web = [\"web1\",\"web2:2222\"]  set by prod at src/main/facsimile/prod.yaml:5\n");
        assertThat(text).contains("  api.service.name = \"apid\"");
        assertThat(text).contains("  api.instances.apid.0.uiid = 1");
    }

    @Test
    void secretsAreMaskedUnlessAskedFor() {
        String hidden = DescriptionWriter.write(project.facsimile().describe("prod", false), OutputFormat.TEXT);
        assertThat(hidden).doesNotContain(PASSWORD).doesNotContain("abc-token-123");
        assertThat(hidden)
                .contains("  web.password = ****\n", "  passwd.web = ****\n", "  api.token = ****  set by facsimile");
        assertThat(hidden).contains("  api.password = (not generated yet)\n");

        String shown = DescriptionWriter.write(project.facsimile().describe("prod", true), OutputFormat.TEXT);
        assertThat(shown)
                .contains(
                        "  web.password = \"" + PASSWORD + "\"",
                        "  passwd.web = \"" + PASSWORD + "\"",
                        "  api.token = \"abc-token-123\"");
        assertThat(shown).contains("  api.password = (not generated yet)\n");
    }

    @Test
    void describeWritesNoState() {
        project.facsimile().describe("dev", false);
        assertThat(basedir.resolve(".facsimile/state/dev")).doesNotExist();
    }

    @Test
    void jsonAndYamlCarryTheSameRecords() throws IOException {
        String json = DescriptionWriter.write(project.facsimile().describe("prod", false), OutputFormat.JSON);
        JsonNode tree = JsonMapper.builder().build().readTree(json);
        assertThat(tree.get("instance").asText()).isEqualTo("prod");
        JsonNode host = tree.get("values").get(0);
        assertThat(host.get("path").asText()).isEqualTo("db.host");
        assertThat(host.get("origin").asText()).isEqualTo("src/main/facsimile/prod.yaml:2");
        assertThat(host.get("shadowed").get(0).get("value").asText()).isEqualTo("localhost");
        assertThat(json).doesNotContain(PASSWORD);

        String yaml = DescriptionWriter.write(project.facsimile().describe("prod", false), OutputFormat.YAML);
        assertThat(yaml).contains("instance: prod\n", "- path: db.host\n").doesNotContain(PASSWORD);
    }

    @Test
    void explainFollowsAKeyThroughLayersAndTemplates() {
        String text = DescriptionWriter.write(project.facsimile().explain("prod", "db.host", false), OutputFormat.TEXT);

        assertThat(text).isEqualTo("""
                db.host in prod = "prod-db"
                  set by prod at src/main/facsimile/prod.yaml:2
                  shadows, in layer order:
                    "localhost"  by facsimile at src/main/facsimile/facsimile.yaml:2
                  used by templates:
                    src/main/facsimile/tmpl/_ALL_/app.conf:2: host=${instance.db.host}
                """);
    }

    @Test
    void explainShowsTheRawValueAndDefinitionReferences() {
        String url = DescriptionWriter.write(project.facsimile().explain("prod", "db.url", false), OutputFormat.TEXT);
        assertThat(url).contains("written as \"jdbc://${ref:db.host}\"", "used by no template of prod");

        Explanation port = project.facsimile().explain("prod", "db.port", false);
        assertThat(port.uses())
                .containsExactly(
                        new TemplateUse("src/main/facsimile/tmpl/_ALL_/app.conf", 4, "port=$definition.db.port"));
        assertThat(port.shadowed()).isEmpty();
    }

    @Test
    void explainingAnUnknownKeyListsItsNeighbours() {
        assertThatThrownBy(() -> project.facsimile().explain("prod", "db.hots", false))
                .isInstanceOf(FacsimileException.class)
                .hasMessage("instance prod has no key db.hots; keys under db: host, port, url");
    }

    @Test
    void listShowsInstancesTargetsAndNodes() {
        InstanceList list = project.facsimile().list(List.of("dev", "prod", "nope"));
        assertThat(DescriptionWriter.write(list.instances(), OutputFormat.TEXT)).isEqualTo("""
                INSTANCE  LAYERS           TARGET  NODES
                dev       facsimile, dev   local   /tmp/dev
                prod      facsimile, prod  web     web1, web2:2222
                                           db      db1
                """);
        assertThat(list.errors()).singleElement().asString().startsWith("unknown instance 'nope'");
    }

    @Test
    void unknownFormatIsAUserError() {
        assertThatThrownBy(() -> OutputFormat.parse("xml"))
                .hasMessage("unknown output format \"xml\"; use one of text, json, yaml");
        assertThat(OutputFormat.parse(null)).isEqualTo(OutputFormat.TEXT);
    }
}

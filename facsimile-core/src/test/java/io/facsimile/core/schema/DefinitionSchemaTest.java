package io.facsimile.core.schema;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.facsimile.core.api.Reporter;
import io.facsimile.core.api.Validation;
import io.facsimile.core.testing.ShopProject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionSchemaTest {

    @TempDir
    Path basedir;

    private void write(String relative, String... lines) throws IOException {
        Path file = basedir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private Validation validate(String instance) {
        return ShopProject.facade(basedir, Reporter.silent()).validate(List.of(instance), NO_ARTIFACTS);
    }

    @Test
    void reservedKeysAreCheckedWithFileAndLine() throws IOException {
        write("src/main/facsimile/facsimile.yaml", "app: {free: [1, {x: y}]}", "deploy:", "  home: /srv/shop");
        write(
                "src/main/facsimile/prod.yaml",
                "deploy:",
                "  hmoe: /srv",
                "  keep: five",
                "  strategy: rolling",
                "  nodes:",
                "    db: db1.example.net",
                "modules:",
                "  api: 3");
        Path prod = basedir.resolve("src/main/facsimile/prod.yaml");

        // each error after the instance it affects
        assertThat(validate("prod").errors())
                .extracting(error -> error.replaceFirst("^prod: ", ""))
                .containsExactly(
                        prod
                                + ":2:9: deploy.hmoe unknown key (did you mean home?); allowed: canary, exclude, healthcheck, home,"
                                + " jump, keep, maxDelete, maxFailPercentage, nodes, onFailure, parallel, postcmd, serial, server,"
                                + " strategy, timeouts, user",
                        prod + ":3:9: deploy.keep must be a whole number, found the string \"five\"",
                        prod + ":4:13: deploy.strategy must be one of releases, sync, found the string \"rolling\"",
                        prod + ":6:9: deploy.nodes.db must be a list, found the string \"db1.example.net\"",
                        prod + ":8:8: modules.api must be a map or null, found 3");
        assertThat(validate("prod").errors()).allMatch(error -> error.startsWith("prod: " + prod));
    }

    @Test
    void aConformingDefinitionHasNoErrors() throws IOException {
        write(
                "src/main/facsimile/facsimile.yaml",
                "deploy: {home: /srv, nodes: {db: [db1]}, keep: 3, strategy: sync, postcmd: [a],",
                "  timeouts: {postcmd: 2m, connect: 10, silence: 1m, confirm: 90s},",
                "  healthcheck: {url: 'http://localhost:8080/health', retries: 2, interval: 1s, timeout: 10s}}",
                "install: {groups: [{type: tmpl, dir: tmpl}, {type: copy, dir: extra}]}",
                "state: shared",
                "anything: {goes: [here]}");
        write("src/main/facsimile/dev.yaml", "x: 1");
        Files.createDirectories(basedir.resolve("src/main/facsimile/tmpl"));
        Files.createDirectories(basedir.resolve("src/main/facsimile/extra"));
        assertThat(validate("dev").errors()).isEmpty();
    }

    @Test
    void validateReportsBrokenOutputsOfEveryFileAtOnce() throws IOException {
        write("src/main/facsimile/facsimile.yaml", "db: {host: h}");
        write("src/main/facsimile/dev.yaml", "x: 1");
        write("src/main/facsimile/tmpl/_ALL_/conf/app.json", "{", "  \"host\": \"$instance.db.host\",", "}");
        write("src/main/facsimile/tmpl/_ALL_/conf/app.properties", "host=\\${instance.db.host}");
        write("src/main/facsimile/extra/_ALL_/bin/start.sh", "cd ${HOME}");

        assertThat(validate("dev").errors())
                .containsExactly(
                        "dev: conf/app.json:3 (from tmpl/_ALL_/conf/app.json): not valid JSON:"
                                + " Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
                        "dev: conf/app.properties:1 (from tmpl/_ALL_/conf/app.properties): unresolved"
                                + " placeholder ${instance.db.host}; a template reference that was escaped or a copied file"
                                + " that should be a template?");
    }

    @Test
    void unknownKeysSuggestOnlyNearNames() throws IOException {
        JsonNode schema = JsonMapper.builder()
                .build()
                .readTree(
                        "{\"properties\": {\"os\": {}, \"serial\": {}, \"home\": {}}, \"additionalProperties\": false}");
        SchemaValidator validator = new SchemaValidator(schema);
        assertThat(validator.validate(Map.of("hmoe", 1)).get(0).message())
                .startsWith("unknown key (did you mean home?)");
        assertThat(validator.validate(Map.of("serail", 1)).get(0).message())
                .startsWith("unknown key (did you mean serial?)");
        assertThat(validator.validate(Map.of("colour", 1)).get(0).message())
                .isEqualTo("unknown key; allowed: home, os, serial");
        assertThat(validator.validate(Map.of("colour", 1)).get(0).path()).containsExactly("colour");
    }

    @Test
    void theShippedSchemaIsDraft2020AndCompiles() throws IOException {
        try (InputStream in = DefinitionSchema.class.getClassLoader().getResourceAsStream(DefinitionSchema.RESOURCE)) {
            JsonNode schema = JsonMapper.builder().build().readTree(in);
            assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(new SchemaValidator(schema).validate(Map.of("deploy", Map.of("home", "/srv"))))
                    .isEmpty();
        }
    }

    @Test
    void aSchemaWithADanglingRefIsRefused() throws IOException {
        JsonNode schema = JsonMapper.builder().build().readTree("{\"$ref\": \"#/$defs/nowhere\"}");
        assertThatThrownBy(() -> new SchemaValidator(schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the schema cannot be used: ");
    }

    @Test
    void keywordsBeyondTheShippedSchemasAreCheckedToo() throws IOException {
        JsonNode schema = JsonMapper.builder().build().readTree("""
                {"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}""");
        assertThat(new SchemaValidator(schema).validate(Map.of("x-a", 1, "y", "b")))
                .extracting(v -> v.dottedPath() + " " + v.message())
                .containsExactlyInAnyOrder("x-a must be a string, found 1", "y unknown key; allowed: ");
    }

    @Test
    void validatorCoversItsKeywords() throws IOException {
        JsonNode schema = JsonMapper.builder().build().readTree("""
                {"type": "object", "required": ["t"],
                 "properties": {"n": {"type": "integer", "minimum": 1}, "s": {"type": "string", "minLength": 2},
                                "l": {"type": "array", "items": {"$ref": "#/$defs/b"}},
                                "e": {"type": "string", "enum": ["a", "b"]}},
                 "$defs": {"b": {"type": "boolean"}}}""");
        SchemaValidator validator = new SchemaValidator(schema);
        assertThat(validator.validate(Map.of("t", 1, "n", 2.0, "s", "ab", "l", List.of(true))))
                .isEmpty();
        assertThat(validator.validate(Map.of("n", 0, "s", "a", "l", List.of(true, "x"), "e", 3)))
                .extracting(v -> v.dottedPath() + " " + v.message())
                .containsExactlyInAnyOrder(
                        " needs the key t",
                        "n must be at least 1, found 0",
                        "s must have at least 2 character(s), found the string \"a\"",
                        "l.1 must be true or false, found the string \"x\"",
                        "e must be a string, found 3");
    }
}

package io.facsimile.core.definition.format;

import static io.facsimile.core.definition.format.ReadFailure.assertReadFails;
import static io.facsimile.core.definition.format.ReadFailure.assertReadFailsAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsYamlIntoPlainTreeKeepingNulls() throws IOException {
        Path file = write(
                "prod.yaml",
                "db:",
                "  host: db1",
                "  port: 5432",
                "  big: 123456789012345678901234567890",
                "  ratio: 0.5",
                "  tls: true",
                "  gone: null",
                "hosts: [a, b]");

        Document document = DocumentReader.read(file);

        assertThat(document.file()).isEqualTo(file);
        Map<String, Object> expectedDb = new HashMap<>(Map.of(
                "host",
                "db1",
                "port",
                5432,
                "big",
                new BigInteger("123456789012345678901234567890"),
                "ratio",
                0.5,
                "tls",
                true));
        expectedDb.put("gone", null);
        assertThat(document.root()).isEqualTo(Map.of("db", expectedDb, "hosts", List.of("a", "b")));
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) document.root()).keySet()))
                .containsExactly("db", "hosts");
    }

    @Test
    void recordsLineAndColumnOfYamlValues() throws IOException {
        Path file = write("prod.yaml", "# comment", "db:", "  host: db1", "hosts:", "  - a", "  - b");

        Document document = DocumentReader.read(file);

        assertThat(document.origin(List.of("db", "host"))).isEqualTo(new Origin(file, 3, 9));
        assertThat(document.origin(List.of("db")).line()).isEqualTo(2);
        assertThat(document.origin(List.of("hosts", "1"))).isEqualTo(new Origin(file, 6, 5));
    }

    @Test
    void recordsLineAndColumnOfJsonValues() throws IOException {
        Path file = write("prod.json", "{", "  \"db\": {", "    \"host\": \"db1\"", "  }", "}");

        Document document = DocumentReader.read(file);

        assertThat(document.root()).isEqualTo(Map.of("db", Map.of("host", "db1")));
        assertThat(document.origin(List.of("db", "host"))).isEqualTo(new Origin(file, 3, 13));
    }

    @Test
    void readsTomlWithFileOnlyOrigins() throws IOException {
        Path file = write(
                "prod.toml", "name = \"shop\"", "[db]", "host = \"db1\"", "port = 5432", "hosts = [\"a\", \"b\"]");

        Document document = DocumentReader.read(file);

        assertThat(document.root())
                .isEqualTo(
                        Map.of("name", "shop", "db", Map.of("host", "db1", "port", 5432, "hosts", List.of("a", "b"))));
        assertThat(document.origin(List.of("db", "host"))).isEqualTo(Origin.ofFile(file));
    }

    @Test
    void emptyYamlHasNullRoot() throws IOException {
        assertThat(DocumentReader.read(write("empty.yml", "# nothing")).root()).isNull();
    }

    @Test
    void yamlSyntaxErrorNamesFileLineAndColumn() throws IOException {
        Path file = write("prod.yaml", "a:", "  b: 1", " c: 2");

        assertReadFails(file)
                .hasMessageStartingWith(file + ":3:2: ")
                .hasMessageContaining("expected <block end>")
                .satisfies(
                        e -> assertThat(((DocumentException) e).isUserError()).isTrue())
                .satisfies(DocumentReaderTest::hasNoJacksonNames);
    }

    @Test
    void yamlSyntaxErrorNamesTheLineOfTheProblemNotTheLastGoodToken() throws IOException {
        // a tab for indentation on line 5; a missing colon on line 4
        assertReadFailsAt(
                write("tab.yaml", "a: 1", "b: 2", "app:", "  name: dev", "\tport: 1"),
                ":5:1: ",
                "found character '\\t(TAB)' that cannot start any token");
        assertReadFailsAt(
                write("colon.yaml", "app:", "  name: dev", "  url: x", "  port 1", "x: 2"),
                ":5:1: ",
                "could not find expected ':' (while scanning a simple key started at line 4, column 3)");
    }

    @Test
    void jsonSyntaxErrorNamesFileLineAndColumn() throws IOException {
        Path file = write("prod.json", "{", "  \"a\": 1,", "  }");

        assertReadFails(file).hasMessageStartingWith(file + ":3:").satisfies(DocumentReaderTest::hasNoJacksonNames);
    }

    @Test
    void truncatedJsonHasNoJacksonNames() throws IOException {
        Path file = write("prod.json", "{\"a\": [1, 2");

        assertReadFails(file).hasMessageStartingWith(file + ":").satisfies(DocumentReaderTest::hasNoJacksonNames);
    }

    @Test
    void tomlSyntaxErrorNamesFileAndLine() throws IOException {
        Path file = write("prod.toml", "a = 1", "b = [", "");

        assertReadFails(file)
                .hasMessageMatching("\\Q" + file + "\\E:\\d+:\\d+: .*")
                .satisfies(DocumentReaderTest::hasNoJacksonNames);
    }

    @Test
    void duplicateYamlKeyIsAnErrorNamingKeyAndLine() throws IOException {
        assertReadFailsAt(write("prod.yaml", "db:", "  host: a", "  host: b"), ":3:", "duplicate key 'host'");
    }

    @Test
    void duplicateJsonKeyIsAnErrorNamingKeyAndLine() throws IOException {
        assertReadFailsAt(write("prod.json", "{\"a\": 1,", " \"a\": 2}"), ":2:", "duplicate key 'a'");
    }

    @Test
    void duplicateTomlKeyIsAnError() throws IOException {
        Path file = write("prod.toml", "a = 1", "a = 2");

        // Jackson's TOML reader reports the position after the duplicate and not the key's name.
        assertReadFails(file).hasMessageMatching("\\Q" + file + "\\E:\\d+:\\d+: duplicate key");
    }

    @Test
    void yamlJavaTypeTagIsRejected() throws IOException {
        assertReadFailsAt(
                write("evil.yaml", "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]"),
                ":1:4: ",
                "YAML tag !!javax.script.ScriptEngineManager is not allowed");
    }

    @Test
    void yamlCustomTagIsRejected() throws IOException {
        assertReadFailsAt(write("evil.yaml", "a: 1", "b: !secret x"), ":2:4: ", "YAML tag !secret is not allowed");
    }

    @Test
    void yamlCoreTagsAreAllowed() throws IOException {
        assertThat(DocumentReader.read(write("ok.yaml", "port: !!str 8080", "n: !!int 3"))
                        .root())
                .isEqualTo(Map.of("port", "8080", "n", 3));
    }

    @Test
    void yamlAliasesOfMapsAreExpandedWithTheirOrigins() throws IOException {
        Path file = write("prod.yaml", "base: &base", "  host: db1", "copy: *base");

        Document document = DocumentReader.read(file);

        assertThat(document.root()).isEqualTo(Map.of("base", Map.of("host", "db1"), "copy", Map.of("host", "db1")));
        assertThat(document.origin(List.of("copy", "host"))).isEqualTo(new Origin(file, 2, 9));
    }

    @Test
    void yamlAliasOfAScalarIsAClearErrorNotItsName() throws IOException {
        Path file = write("prod.yaml", "host: &h db1", "copy: *h");

        assertReadFails(file).hasMessageStartingWith(file + ":2:7: alias *h");
    }

    @Test
    void yamlAliasBombIsStopped() throws IOException {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            String[] refs = new String[10];
            Arrays.fill(refs, "*a" + (i - 1));
            yaml.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(String.join(", ", refs))
                    .append("]\n");
        }
        Path file = write("bomb.yaml", yaml.toString());

        assertReadFails(file).hasMessageStartingWith(file + ":");
    }

    @Test
    void yamlMergeKeysAreRejectedWithAHint() throws IOException {
        assertReadFailsAt(write("prod.yaml", "base: &b {a: 1}", "other:", "  <<: *b"), ":3:3: ", "inherit");
    }

    @Test
    void secondYamlDocumentIsAnError() throws IOException {
        Path file = write("prod.yaml", "a: 1", "---", "b: 2");

        assertReadFails(file).hasMessageContaining("one document");
    }

    @Test
    void unknownExtensionAndMissingFileAreErrors() {
        assertReadFails(dir.resolve("prod.ini")).hasMessageContaining("not a definition file");
        assertReadFails(dir.resolve("prod.yaml")).hasMessageContaining("file not found");
    }

    @Test
    void readsUtf8() throws IOException {
        Path file = write("prod.yaml", "greeting: grüezi ☃");

        assertThat(DocumentReader.read(file).root()).isEqualTo(Map.of("greeting", "grüezi ☃"));
    }

    @Test
    void invalidUtf8IsAClearError() throws IOException {
        Path file = dir.resolve("prod.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

        assertReadFails(file).hasMessage(file + ": not valid UTF-8; save the file as UTF-8");
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() throws IOException {
        Path yaml = write("bom.yaml", "\uFEFFa: 1");
        Path json = write("bom.json", "\uFEFF{\"a\": 1}");

        assertThat(DocumentReader.read(yaml).root()).isEqualTo(Map.of("a", 1));
        assertThat(DocumentReader.read(json).root()).isEqualTo(Map.of("a", 1));
    }

    @Test
    void formatIsChosenByExtension() {
        assertThat(Format.of(Path.of("a.YML"))).contains(Format.YAML);
        assertThat(Format.of(Path.of("a.json"))).contains(Format.JSON);
        assertThat(Format.of(Path.of("a.toml"))).contains(Format.TOML);
        assertThat(Format.of(Path.of("a.txt"))).isEmpty();
        assertThat(Format.baseName(Path.of("dir/prod.eu1.yaml"))).contains("prod.eu1");
        assertThat(Format.allExtensions()).containsExactly("json", "yaml", "yml", "toml");
    }

    private static void hasNoJacksonNames(Throwable e) {
        assertThat(e.getMessage())
                .doesNotContain("jackson", "Jackson", "StreamReadFeature", "Source:", "com.fasterxml");
    }
}

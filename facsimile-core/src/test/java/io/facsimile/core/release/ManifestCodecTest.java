package io.facsimile.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** The document data binding wrote before the streaming codec: releases already on nodes are named by it. */
    private static byte[] boundJson(Manifest manifest) throws Exception {
        return (new ObjectMapper()
                                .writer(new DefaultPrettyPrinter()
                                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                                        .withArrayIndenter(new DefaultIndenter("  ", "\n")))
                                .writeValueAsString(manifest)
                        + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Manifest sample(int n, long seed) {
        Random random = new Random(seed);
        String[] names = {"a", "é t\"c", "bin/run.sh", "日本/語", "x y/z\\t", "tab\u00e9"};
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = names[random.nextInt(names.length)].replace("\\", "_") + "/" + i;
            String mode = FileMode.of(FileMode.FILE.permissions()).octal();
            entries.add(new ManifestEntry(
                    name,
                    random.nextInt(1 << 20),
                    random.nextBoolean() ? mode : "0755",
                    HexFormat.of().formatHex(sha(name)),
                    random.nextBoolean()));
        }
        return new Manifest(entries);
    }

    private static byte[] sha(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesTheDocumentDataBindingWroteByteForByte() throws Exception {
        for (Manifest m : List.of(sample(0, 1), sample(1, 2), sample(300, 3))) {
            assertThat(new String(m.toJson(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(boundJson(m), StandardCharsets.UTF_8));
            assertThat(m.treeHash())
                    .as("the tree hash names releases already deployed: it must not move")
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(boundJson(m.seal(java.util.Set.of())))));
        }
    }

    @Test
    void readsWhatItWritesAndWhatDataBindingWrote() throws Exception {
        Manifest m = sample(200, 4);
        assertThat(Manifest.parse(m.toJson())).isEqualTo(m);
        assertThat(Manifest.parse(boundJson(m))).isEqualTo(m);
        assertThat(Manifest.parse(new ObjectMapper().writeValueAsBytes(m)))
                .as("compact, not pretty-printed")
                .isEqualTo(m);
    }

    @Test
    void skipsFieldsItDoesNotKnow() throws Exception {
        String json = """
                {"version": {"a": [1, 2]}, "files": [
                  {"path": "a", "size": 3, "mode": "0600", "sha256": "%s", "owner": {"uid": 0}, "sealed": true}
                ], "more": null}
                """.formatted(SHA);
        assertThat(Manifest.parse(json.getBytes(StandardCharsets.UTF_8)).files())
                .containsExactly(new ManifestEntry("a", 3, "0600", SHA, true));
    }

    @Test
    void anEntryWithoutAFieldOrOfTheWrongShapeIsRefusedNamingTheLine() {
        String noSha = "{\"files\": [\n{\"path\": \"a\", \"size\": 1, \"mode\": \"0644\"}\n]}";
        assertThatThrownBy(() -> Manifest.parse(noSha.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("sha256")
                .satisfies(
                        e -> assertThat(((JsonParseException) e).getLocation().getLineNr())
                                .isEqualTo(2));
        assertThatThrownBy(() -> Manifest.parse("{\"files\": {}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("a list of files");
        assertThatThrownBy(() -> Manifest.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("expected an object");
        assertThatThrownBy(() -> Manifest.parse(new byte[0]))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("empty");
    }
}

package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manifests read from nodes: one document parsed once per run, whichever node sent it. */
class ManifestJsonTest {

    private static byte[] document(String content) {
        return new Manifest(List.of(new ManifestEntry("etc/app.conf", 7, "0644", content.repeat(64), false))).toJson();
    }

    @Test
    void theSameDocumentFromAnotherNodeIsNotParsedAgain() {
        ManifestJson manifests = new ManifestJson();
        Manifest first = manifests.parse(document("a"), "node1");

        // equal bytes in another array, as a second node's read gives them
        assertThat(manifests.parse(document("a"), "node2")).isSameAs(first);
        assertThat(manifests.parseIfWhole(document("a"))).containsSame(first);
        Manifest other = manifests.parse(document("b"), "node3");
        assertThat(other).isNotSameAs(first).isNotEqualTo(first);
        assertThat(other.files().get(0).sha256()).isEqualTo("b".repeat(64));
    }

    @Test
    void aDamagedDocumentIsRefusedEachTimeAndNotKept() {
        ManifestJson manifests = new ManifestJson();
        byte[] damaged = "{\"files\": [".getBytes(StandardCharsets.UTF_8);

        for (int node = 0; node < 2; node++) {
            assertThatThrownBy(() -> manifests.parse(damaged, "home/releases/x/.facsimile/manifest.json"))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("is not a manifest");
            assertThat(manifests.parseIfWhole(damaged)).isEmpty();
        }
    }

    @Test
    void beyondTheDocumentsKeptEachIsStillParsed() {
        ManifestJson manifests = new ManifestJson();
        for (String c : List.of("a", "b", "c", "d")) {
            manifests.parse(document(c), "node");
        }

        Manifest fifth = manifests.parse(document("e"), "node");
        assertThat(fifth.files().get(0).sha256()).isEqualTo("e".repeat(64));
        assertThat(manifests.parse(document("e"), "node")).isEqualTo(fifth).isNotSameAs(fifth);
    }
}

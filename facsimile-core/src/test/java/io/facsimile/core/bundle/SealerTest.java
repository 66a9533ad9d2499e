package io.facsimile.core.bundle;

import static io.facsimile.core.testing.TestFiles.writeString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import io.facsimile.core.release.ManifestWriter;
import io.facsimile.core.release.ReleaseDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SealerTest {

    private static final String SECRET = "Xq7vR2mLp9TzW4sKb8NcY3hJd6FgA1eU";
    private static final String UIID_SECRET = "c0ffee-uuid-0000-1111";
    private static final Instant TIME = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void marksExactlyTheFilesThatHoldASecretAndTheArchiveHasNone(BundleFormat format) throws IOException {
        Path real = render(dir.resolve("real"), SECRET, UIID_SECRET);
        Path masked = render(dir.resolve("masked"), Sealer.MASK, Sealer.MASK);

        SealedTree sealed = Sealer.seal(real, masked);

        assertThat(sealed.root()).isEqualTo(masked);
        assertThat(sealed.sealedPaths()).containsExactlyInAnyOrder("etc/db.properties", "etc/app.json");
        ManifestEntry db = sealed.manifest().entry("etc/db.properties").orElseThrow();
        assertThat(db.sha256()).isEqualTo(Manifest.sha256(masked.resolve("_DEPLOY_/etc/db.properties")));
        assertThat(db.size()).isEqualTo(Files.size(masked.resolve("_DEPLOY_/etc/db.properties")));
        assertThat(sealed.manifest().entry("etc/plain.conf").orElseThrow().sealed())
                .isFalse();
        assertThat(Manifest.read(masked.resolve(ReleaseDir.MANIFEST))).isEqualTo(sealed.manifest());
        assertThat(Manifest.read(real.resolve(ReleaseDir.MANIFEST)).files()).noneMatch(ManifestEntry::sealed);

        Path bundle = new BundleWriter(format, TIME)
                .write(sealed.root(), "shop-1.0-prod", dir.resolve("b." + format.extension()));

        assertThat(Sealer.containsAny(bundle, List.of(SECRET, UIID_SECRET))).isFalse();
        Sealer.requireNoSecrets(bundle, List.of(SECRET, UIID_SECRET));
        String manifestInBundle = new String(
                ArchiveReader.read(bundle).stream()
                        .filter(e -> e.name().endsWith("/manifest.json"))
                        .findFirst()
                        .orElseThrow()
                        .content(),
                StandardCharsets.UTF_8);
        assertThat(manifestInBundle).contains("\"sealed\" : true");
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void theSafetyNetNamesTheEntryButNeverPrintsTheSecret(BundleFormat format) throws IOException {
        Path real = render(dir.resolve("real"), SECRET, UIID_SECRET);
        Path bundle =
                new BundleWriter(format, TIME).write(real, "shop-1.0-prod", dir.resolve("b." + format.extension()));

        assertThat(Sealer.containsAny(bundle, List.of(SECRET))).isTrue();
        assertThatThrownBy(() -> Sealer.requireNoSecrets(bundle, List.of("not-in-there", SECRET)))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("shop-1.0-prod/_DEPLOY_/etc/")
                .hasMessageContaining("bundleSecrets")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void findsSecretsInUsualEncodingsAndAcrossReadBoundaries() throws IOException {
        String special = "p&ss<w>\"rd/with+chars";
        Path release = dir.resolve("r");
        writeString(
                release.resolve("_DEPLOY_/xml.xml"),
                "<pw>"
                        + special.replace("&", "&amp;")
                                .replace("<", "&lt;")
                                .replace(">", "&gt;")
                                .replace("\"", "&quot;")
                        + "</pw>");
        Path xml = new BundleWriter(BundleFormat.TAR_GZ, TIME).write(release, "t", dir.resolve("xml.tar.gz"));
        assertThat(Sealer.containsAny(xml, List.of(special))).isTrue();

        Files.delete(release.resolve("_DEPLOY_/xml.xml"));
        writeString(
                release.resolve("_DEPLOY_/k8s.yaml"),
                "password: " + Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)) + "\n");
        Path b64 = new BundleWriter(BundleFormat.ZIP, TIME).write(release, "t", dir.resolve("b64.zip"));
        assertThat(Sealer.containsAny(b64, List.of(SECRET))).isTrue();

        Files.delete(release.resolve("_DEPLOY_/k8s.yaml"));
        // the secret straddles the 64 KiB read chunk
        writeString(release.resolve("_DEPLOY_/big.bin"), "a".repeat(64 * 1024 - 10) + SECRET + "b".repeat(1000));
        Path big = new BundleWriter(BundleFormat.TAR_GZ, TIME).write(release, "t", dir.resolve("big.tar.gz"));
        assertThat(Sealer.containsAny(big, List.of(SECRET))).isTrue();
        assertThat(Sealer.containsAny(big, List.of("zzzzzzzz"))).isFalse();
    }

    @Test
    void aSecretInAnEntryNameIsReportedByNumberOnly() throws IOException {
        Path release = dir.resolve("r");
        writeString(release.resolve("_DEPLOY_/" + SECRET + ".txt"), "x");
        Path bundle = new BundleWriter(BundleFormat.TAR_GZ, TIME).write(release, "t", dir.resolve("b.tar.gz"));

        assertThatThrownBy(() -> Sealer.requireNoSecrets(bundle, List.of(SECRET)))
                .hasMessageContaining("entry #")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void shortAndBlankValuesAreNotLookedFor() throws IOException {
        Path release = render(dir.resolve("r"), SECRET, UIID_SECRET);
        Path bundle = new BundleWriter(BundleFormat.TAR_GZ, TIME).write(release, "t", dir.resolve("b.tar.gz"));

        assertThat(Sealer.containsAny(bundle, List.of("7", "", " ", Sealer.MASK)))
                .isFalse();
    }

    @Test
    void renderingsWithDifferentFilesCannotBeSealed() throws IOException {
        Path real = render(dir.resolve("real"), SECRET, UIID_SECRET);
        Path masked = render(dir.resolve("masked"), Sealer.MASK, Sealer.MASK);
        writeString(real.resolve("_DEPLOY_/etc/" + "only-real.conf"), "x");

        assertThatThrownBy(() -> Sealer.seal(real, masked))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("only in the real one: etc/only-real.conf")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aMissingRenderingSaysToRenderFirst() throws IOException {
        Path real = render(dir.resolve("real"), SECRET, UIID_SECRET);
        assertThatThrownBy(() -> Sealer.seal(real, dir.resolve("nope")))
                .hasMessageContaining("render the instance first");
    }

    /** A rendered release dir: two files carry state values, one does not. */
    private static Path render(Path root, String password, String uuid) throws IOException {
        Map<String, String> files = Map.of(
                "_DEPLOY_/etc/db.properties",
                "user=shop\npassword=" + password + "\n",
                "_DEPLOY_/etc/app.json",
                "{\"uuid\": \"" + uuid + "\"}\n",
                "_DEPLOY_/etc/plain.conf",
                "port=8080\n",
                "_DEPLOY_/etc/shop.version",
                "1.0\n");
        for (Map.Entry<String, String> f : files.entrySet()) {
            writeString(root.resolve(f.getKey()), f.getValue());
        }
        ManifestWriter.write(root, Manifest.scan(root.resolve("_DEPLOY_")));
        return root;
    }
}

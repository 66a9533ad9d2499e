package io.facsimile.core.release;

import static io.facsimile.core.testing.TestFiles.writeString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class ManifestTest {

    private static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    @Test
    void scanListsEveryFileSortedWithSizeModeAndSha() throws IOException {
        Path deploy = dir.resolve("_DEPLOY_");
        writeString(deploy.resolve("etc/shop.version"), "1.0\n");
        writeString(deploy.resolve("bin/start.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(deploy.resolve("bin/start.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        writeString(deploy.resolve("empty"), "");

        Manifest manifest = Manifest.scan(deploy);

        assertThat(manifest.files())
                .extracting(ManifestEntry::path)
                .containsExactly("bin/start.sh", "empty", "etc/shop.version");
        assertThat(manifest.entry("bin/start.sh"))
                .get()
                .extracting(ManifestEntry::mode)
                .isEqualTo("0755");
        assertThat(manifest.entry("etc/shop.version")).get().satisfies(e -> {
            assertThat(e.size()).isEqualTo(4);
            assertThat(e.sha256()).isEqualTo(Manifest.sha256(deploy.resolve("etc/shop.version")));
        });
        assertThat(manifest.entry("empty").orElseThrow().sha256()).isEqualTo(EMPTY_SHA);
    }

    @Test
    void scanOfAMissingTreeIsEmpty() {
        assertThat(Manifest.scan(dir.resolve("nope")).files()).isEmpty();
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Path deploy = dir.resolve("_DEPLOY_");
        writeString(deploy.resolve("a/b.txt"), "b");
        writeString(deploy.resolve("c.txt"), "c");
        Manifest manifest = Manifest.scan(deploy).seal(Set.of("c.txt"));

        assertThat(ManifestWriter.write(dir, manifest)).isTrue();
        Manifest read = Manifest.read(dir.resolve(ReleaseDir.MANIFEST));

        assertThat(read).isEqualTo(manifest);
        assertThat(read.entry("c.txt").orElseThrow().sealed()).isTrue();
        assertThat(read.toJson()).isEqualTo(Files.readAllBytes(dir.resolve(ReleaseDir.MANIFEST)));
        assertThat(Manifest.mode(dir.resolve(ReleaseDir.MANIFEST)))
                .as("a manifest holds no secret")
                .isEqualTo("0644");
    }

    @Test
    void writerLeavesAnUnchangedManifestUntouched() throws IOException {
        writeString(dir.resolve("_DEPLOY_/x"), "x");
        Manifest manifest = Manifest.scan(dir.resolve("_DEPLOY_"));
        ManifestWriter.write(dir, manifest);
        Path file = dir.resolve(ReleaseDir.MANIFEST);
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(file, old);

        assertThat(ManifestWriter.write(dir, manifest)).isFalse();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);

        writeString(dir.resolve("_DEPLOY_/x"), "y");
        assertThat(ManifestWriter.write(dir, Manifest.scan(dir.resolve("_DEPLOY_"))))
                .isTrue();
        assertThat(Manifest.read(file).entry("x").orElseThrow().sha256())
                .isEqualTo(Manifest.sha256(dir.resolve("_DEPLOY_/x")));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("_DEPLOY_", "manifest.json");
        }
    }

    @Test
    void theManifestOfAReleaseDirListsItsDeployTreeOnly() throws IOException {
        writeString(dir.resolve("_DEPLOY_/etc/a"), "a");
        writeString(dir.resolve("outside"), "not listed");

        Manifest manifest = Manifest.scan(dir.resolve(ReleaseDir.DEPLOY_TREE));
        ManifestWriter.write(dir, manifest);

        assertThat(manifest.files()).extracting(ManifestEntry::path).containsExactly("etc/a");
        assertThat(Manifest.read(dir.resolve(ReleaseDir.MANIFEST))).isEqualTo(manifest);
    }

    @Test
    void jsonIsTheSameOnEveryPlatform() {
        Manifest manifest = new Manifest(List.of(new ManifestEntry("a", 0, "0644", EMPTY_SHA, false)));

        String json = new String(manifest.toJson(), StandardCharsets.UTF_8);

        // the default pretty printer would use System.lineSeparator(): CRLF on Windows
        assertThat(json)
                .doesNotContain("\r")
                .endsWith("}\n")
                .contains("\"files\"")
                .doesNotContain("treeHash");
        assertThat(json).isEqualTo("""
                {
                  "files" : [
                    {
                      "path" : "a",
                      "size" : 0,
                      "mode" : "0644",
                      "sha256" : "%s",
                      "sealed" : false
                    }
                  ]
                }
                """.formatted(EMPTY_SHA));
    }

    @Test
    void treeHashChangesWhenOneByteChangesAndIgnoresSealing() throws Exception {
        Path deploy = dir.resolve("_DEPLOY_");
        writeString(deploy.resolve("a.txt"), "hello");
        writeString(deploy.resolve("b.txt"), "world");
        Manifest before = Manifest.scan(deploy);

        writeString(deploy.resolve("b.txt"), "worle");
        Manifest after = Manifest.scan(deploy);

        assertThat(after.treeHash()).hasSize(64).isNotEqualTo(before.treeHash());
        assertThat(before.seal(Set.of("a.txt")).treeHash()).isEqualTo(before.treeHash());
        assertThat(Manifest.scan(deploy).treeHash()).isEqualTo(after.treeHash());
        // given a manifest's own bytes, the same hash: a sealed entry is unsealed for it, so those are not
        // the bytes digested
        assertThat(before.treeHash(before.toJson())).isEqualTo(before.treeHash());
        Manifest sealed = before.seal(Set.of("a.txt"));
        assertThat(sealed.toJson()).isNotEqualTo(before.toJson());
        assertThat(sealed.treeHash(sealed.toJson())).isEqualTo(before.treeHash());
        // the tree hash is the SHA-256 of the unsealed manifest document, byte for byte
        assertThat(before.treeHash())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(before.toJson())));
    }

    @Test
    void treeHashChangesWithTheMode() throws IOException {
        Path deploy = dir.resolve("_DEPLOY_");
        writeString(deploy.resolve("run"), "x");
        String before = Manifest.scan(deploy).treeHash();
        Files.setPosixFilePermissions(deploy.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Manifest.scan(deploy).treeHash()).isNotEqualTo(before);
    }

    @Test
    void readOfGarbageNamesTheFile() throws IOException {
        Path file = writeString(dir.resolve("manifest.json"), "{\n \"files\": [ {\"path\": 3 ");
        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(ReleaseException.class)
                .hasMessageStartingWith(file + ":")
                .hasMessageContaining("not a manifest")
                .satisfies(e -> assertThat(((ReleaseException) e).isUserError()).isTrue());
    }

    @Test
    void readOfNullOrEmptyDocumentIsAClearError() throws IOException {
        Path nullDoc = writeString(dir.resolve("null.json"), "null");
        assertThatThrownBy(() -> Manifest.read(nullDoc))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("not a manifest");
        Path noFiles = writeString(dir.resolve("nofiles.json"), "{}");
        assertThat(Manifest.read(noFiles).files()).isEmpty();
    }

    @Test
    void readRefusesAPathThatEscapesTheDeployTree() throws IOException {
        Path file = writeString(dir.resolve("manifest.json"), """
                {"files": [{"path": "../../etc/passwd", "size": 0, "mode": "0644", "sha256": "%s"}]}
                """.formatted(EMPTY_SHA));
        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("../../etc/passwd")
                .hasMessageContaining("'..'");
    }

    static Stream<Arguments> unsafeOrMalformedEntries() {
        return Stream.of(
                arguments("/abs", 0L, "0644", EMPTY_SHA, "absolute"),
                arguments("a\\b", 0L, "0644", EMPTY_SHA, "backslash"),
                arguments("a//b", 0L, "0644", EMPTY_SHA, "segment"),
                arguments("a", -1L, "0644", EMPTY_SHA, "size"),
                arguments("a", 0L, "644", EMPTY_SHA, "octal"),
                arguments("a", 0L, "0648", EMPTY_SHA, "octal"),
                arguments("a", 0L, "06440", EMPTY_SHA, "octal"),
                arguments("a", 0L, "0644", "XYZ", "sha256"),
                arguments("a", 0L, "0644", EMPTY_SHA.toUpperCase(java.util.Locale.ROOT), "sha256"),
                arguments("a", 0L, "0644", EMPTY_SHA.substring(1), "sha256"),
                arguments("a", 0L, "0644", EMPTY_SHA.substring(1) + "g", "sha256"));
    }

    @ParameterizedTest
    @MethodSource("unsafeOrMalformedEntries")
    void entriesRejectUnsafeOrMalformedValues(String path, long size, String mode, String sha256, String complaint) {
        assertThatThrownBy(() -> new ManifestEntry(path, size, mode, sha256, false))
                .hasMessageContaining(complaint);
    }

    @Test
    void anEntryKeepsAnyOctalMode() {
        assertThat(new ManifestEntry("a", 0, "0777", EMPTY_SHA, false).mode()).isEqualTo("0777");
    }

    @Test
    void duplicatePathsAreRefused() {
        ManifestEntry a = new ManifestEntry("a", 0, "0644", EMPTY_SHA, false);
        assertThatThrownBy(() -> new Manifest(List.of(a, a.withSealed(true)))).hasMessageContaining("a twice");
    }

    @Test
    void sealMarksExactlyTheGivenPaths() {
        Manifest m = new Manifest(List.of(
                new ManifestEntry("a", 0, "0644", EMPTY_SHA, true),
                new ManifestEntry("b", 0, "0644", EMPTY_SHA, false)));
        assertThat(m.seal(Set.of("b")).files())
                .extracting(ManifestEntry::sealed)
                .containsExactly(false, true);
    }

    @Test
    void theDirectoriesOfAManifestAreEveryLevelAboveItsFiles() {
        Manifest manifest = new Manifest(List.of(
                new ManifestEntry("top.conf", 0, "0644", EMPTY_SHA, false),
                new ManifestEntry("etc/app/a.conf", 0, "0644", EMPTY_SHA, false),
                new ManifestEntry("etc/app/b.conf", 0, "0644", EMPTY_SHA, false),
                new ManifestEntry("etc/b/c/d.txt", 0, "0644", EMPTY_SHA, false)));

        assertThat(manifest.directories()).containsExactlyInAnyOrder("etc", "etc/app", "etc/b", "etc/b/c");
        assertThat(new Manifest(List.of()).directories()).isEmpty();
    }
}

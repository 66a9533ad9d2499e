package io.facsimile.core.bundle;

import static io.facsimile.core.testing.TestFiles.writeString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestWriter;
import io.facsimile.core.release.ReleaseDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class BundleWriterTest {

    private static final Instant TIME = Instant.parse("2026-11-24T10:00:00Z");
    private static final String TOP = "shop-1.0-prod";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void sameTreeGivesSameBytesWhateverTheMtimesAndCreationOrder(BundleFormat format) throws IOException {
        Path first = release(dir.resolve("one"), false);
        Path second = release(dir.resolve("two"), true);
        BundleWriter writer = new BundleWriter(format, TIME);

        Path a = writer.write(first, TOP, dir.resolve("out/a." + format.extension()));
        Path b = writer.write(second, TOP, dir.resolve("out/b." + format.extension()));
        assertThat(Manifest.sha256(b)).isEqualTo(Manifest.sha256(a));

        touchEverything(first, FileTime.from(Instant.parse("2031-05-05T05:05:05Z")));
        Path c = writer.write(first, TOP, dir.resolve("out/c." + format.extension()));
        assertThat(Manifest.sha256(c)).isEqualTo(Manifest.sha256(a));
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void entriesAreSortedUnderOneTopDirectoryWithTheGivenTime(BundleFormat format) throws IOException {
        Path archive = new BundleWriter(format, TIME)
                .write(release(dir.resolve("r"), false), TOP, dir.resolve("b." + format.extension()));

        List<ArchiveReader.Entry> entries = ArchiveReader.read(archive);

        List<String> names = entries.stream().map(e -> strip(e.name())).toList();
        if (format == BundleFormat.TAR_GZ) {
            assertThat(names)
                    .containsExactly(
                            TOP,
                            TOP + "/_DEPLOY_",
                            TOP + "/_DEPLOY_/bin",
                            TOP + "/_DEPLOY_/bin/start.sh",
                            TOP + "/_DEPLOY_/etc",
                            TOP + "/_DEPLOY_/etc/app.conf",
                            TOP + "/_DEPLOY_/etc/secret.properties",
                            TOP + "/_DEPLOY_/var",
                            TOP + "/manifest.json");
        } else {
            // a zip lists all directories first, each group in the order given
            assertThat(names)
                    .containsExactly(
                            TOP,
                            TOP + "/_DEPLOY_",
                            TOP + "/_DEPLOY_/bin",
                            TOP + "/_DEPLOY_/etc",
                            TOP + "/_DEPLOY_/var",
                            TOP + "/_DEPLOY_/bin/start.sh",
                            TOP + "/_DEPLOY_/etc/app.conf",
                            TOP + "/_DEPLOY_/etc/secret.properties",
                            TOP + "/manifest.json");
        }
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.name()).doesNotStartWith("/").doesNotContain("..").doesNotContain("\\");
            assertThat(e.symlink()).isFalse();
            assertThat(e.millis()).isEqualTo(TIME.toEpochMilli());
        });
        assertThat(byName(entries).get(TOP + "/_DEPLOY_/etc/app.conf").content())
                .isEqualTo("port=8080\n".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void modesOfFilesAndDirectoriesAreKept(BundleFormat format) throws IOException {
        Path archive = new BundleWriter(format, TIME)
                .write(release(dir.resolve("r"), false), TOP, dir.resolve("b." + format.extension()));

        Map<String, ArchiveReader.Entry> entries = byName(ArchiveReader.read(archive));

        assertThat(entries.get(TOP + "/_DEPLOY_/bin/start.sh").mode()).isEqualTo(0755);
        assertThat(entries.get(TOP + "/_DEPLOY_/etc/app.conf").mode()).isEqualTo(0664);
        assertThat(entries.get(TOP + "/_DEPLOY_/etc/secret.properties").mode()).isEqualTo(0600);
        assertThat(entries.get(TOP + "/_DEPLOY_/var").mode()).isEqualTo(0750);
        assertThat(entries.get(TOP + "/_DEPLOY_/var").directory()).isTrue();
        assertThat(entries.get(TOP + "/_DEPLOY_").mode()).isEqualTo(0755);
    }

    /**
     * The bytes of one fixed tree, as the earlier plexus-archiver based writer wrote them: a bundle
     * rebuilt by a newer Facsimile from the same release dir has the same sha256.
     */
    @ParameterizedTest
    @CsvSource({
        "TAR_GZ, 0a888fac98dc8551ce6b7156f2c097e406976623292ac13a9094ed575abf4e14",
        "ZIP, 9c255e7b5129c2bcb51d8ecf988373a4efcffaecfa4be544291ece86f0f27465"
    })
    void theBytesOfAFixedTreeStayTheSameAcrossVersions(BundleFormat format, String sha256) throws IOException {
        Path r = dir.resolve("golden");
        writeString(r.resolve("_DEPLOY_/bin/start.sh"), "#!/bin/sh\necho hi\n");
        writeString(r.resolve("_DEPLOY_/etc/app.conf"), "port=8080\n".repeat(100));
        writeString(r.resolve("_DEPLOY_/etc/" + "x".repeat(120) + ".properties"), "long=1\n");
        writeString(r.resolve("manifest.json"), "{}\n");
        Files.createDirectories(r.resolve("_DEPLOY_/var"));
        Map<String, String> modes = Map.of(
                "",
                "rwxr-xr-x",
                "_DEPLOY_",
                "rwxr-xr-x",
                "_DEPLOY_/bin",
                "rwxr-xr-x",
                "_DEPLOY_/etc",
                "rwxr-xr-x",
                "_DEPLOY_/var",
                "rwx------",
                "_DEPLOY_/bin/start.sh",
                "rwxr-x---",
                "_DEPLOY_/etc/app.conf",
                "rw-rw-r--",
                "_DEPLOY_/etc/" + "x".repeat(120) + ".properties",
                "rw-r--r--",
                "manifest.json",
                "rw-r--r--");
        for (Map.Entry<String, String> mode : modes.entrySet()) {
            Files.setPosixFilePermissions(r.resolve(mode.getKey()), PosixFilePermissions.fromString(mode.getValue()));
        }

        Path bundle = new BundleWriter(format, TIME).write(r, TOP, dir.resolve("b." + format.extension()));

        assertThat(Manifest.sha256(bundle)).isEqualTo(sha256);
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void aBundleIsReadableByAllLikeAnyBuildOutput(BundleFormat format) throws IOException {
        Path bundle = new BundleWriter(format, TIME)
                .write(release(dir.resolve("r"), false), TOP, dir.resolve("b." + format.extension()));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)))
                .isEqualTo("rw-r--r--");
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @io.facsimile.core.reliability.Case("secrets.bundle-include-mode")
    void aBundleHoldingTheRealSecretsIsOwnerOnly(BundleFormat format) throws IOException {
        Path bundle = new BundleWriter(format, TIME)
                .write(release(dir.resolve("r"), false), TOP, dir.resolve("b." + format.extension()), true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)))
                .isEqualTo("rw-------");
    }

    @Test
    void tarEntriesBelongToRootWithIdsZero() throws IOException {
        Path archive = new BundleWriter(BundleFormat.TAR_GZ, TIME)
                .write(release(dir.resolve("r"), false), TOP, dir.resolve("b.tar.gz"));

        assertThat(ArchiveReader.read(archive)).allSatisfy(e -> {
            assertThat(e.uid()).isZero();
            assertThat(e.gid()).isZero();
            assertThat(e.user()).isIn("", "root");
            assertThat(e.group()).isIn("", "root");
        });
    }

    @Test
    void gzipHeaderHasNoTimeAndNoName() throws IOException {
        Path archive = new BundleWriter(BundleFormat.TAR_GZ, TIME)
                .write(release(dir.resolve("r"), false), TOP, dir.resolve("b.tar.gz"));

        byte[] head = new byte[10];
        try (var in = Files.newInputStream(archive)) {
            assertThat(in.readNBytes(head, 0, 10)).isEqualTo(10);
        }
        assertThat(head[0] & 0xff).isEqualTo(0x1f);
        assertThat(head[1] & 0xff).isEqualTo(0x8b);
        assertThat(head[3]).as("FLG: no name, comment or extra").isZero();
        assertThat(new byte[] {head[4], head[5], head[6], head[7]}).as("MTIME").containsOnly(0);
    }

    @Test
    void zipBytesDoNotDependOnTheTimeZone() throws IOException {
        Path release = release(dir.resolve("r"), false);
        BundleWriter writer = new BundleWriter(BundleFormat.ZIP, TIME);
        TimeZone saved = TimeZone.getDefault();
        String[] hashes = new String[2];
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            hashes[0] = Manifest.sha256(writer.write(release, TOP, dir.resolve("utc.zip")));
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            hashes[1] = Manifest.sha256(writer.write(release, TOP, dir.resolve("kiritimati.zip")));
        } finally {
            TimeZone.setDefault(saved);
        }
        assertThat(hashes[1]).isEqualTo(hashes[0]);
    }

    @Test
    void longNamesRoundTripReproducibly() throws IOException {
        Path release = dir.resolve("r");
        String deep = "_DEPLOY_/" + "very-long-directory-name/".repeat(6) + "file-with-a-long-name.properties";
        writeString(release.resolve(deep), "x");
        BundleWriter writer = new BundleWriter(BundleFormat.TAR_GZ, TIME);

        Path a = writer.write(release, TOP, dir.resolve("a.tar.gz"));
        touchEverything(release, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Path b = writer.write(release, TOP, dir.resolve("b.tar.gz"));

        assertThat(ArchiveReader.read(a)).extracting(ArchiveReader.Entry::name).contains(TOP + "/" + deep);
        assertThat(Manifest.sha256(b)).isEqualTo(Manifest.sha256(a));
    }

    @Test
    void differentTimestampsGiveDifferentBytes() throws IOException {
        Path release = release(dir.resolve("r"), false);
        Path a = new BundleWriter(BundleFormat.TAR_GZ, TIME).write(release, TOP, dir.resolve("a.tar.gz"));
        Path b = new BundleWriter(BundleFormat.TAR_GZ, OutputTimestamp.DEFAULT)
                .write(release, TOP, dir.resolve("b.tar.gz"));

        assertThat(Manifest.sha256(b)).isNotEqualTo(Manifest.sha256(a));
        assertThat(ArchiveReader.read(b))
                .allSatisfy(e -> assertThat(e.millis()).isEqualTo(OutputTimestamp.DEFAULT.toEpochMilli()));
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    void aSymlinkIsRefusedAndNoArchiveIsLeft(BundleFormat format) throws IOException {
        Path release = release(dir.resolve("r"), false);
        Files.createSymbolicLink(release.resolve("_DEPLOY_/etc/passwd"), Path.of("/etc/passwd"));
        Path target = dir.resolve("out/b." + format.extension());

        assertThatThrownBy(() -> new BundleWriter(format, TIME).write(release, TOP, target))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("symlink _DEPLOY_/etc/passwd -> /etc/passwd")
                .satisfies(e -> assertThat(((BundleException) e).isUserError()).isTrue());
        assertThat(target).doesNotExist();
    }

    @Test
    void aFailedWriteKeepsThePreviousArchiveAndLeavesNoTemporaryFile() throws IOException {
        Path release = release(dir.resolve("r"), false);
        Path out = dir.resolve("out");
        Path target = out.resolve("b.tar.gz");
        BundleWriter writer = new BundleWriter(BundleFormat.TAR_GZ, TIME);
        writer.write(release, TOP, target);
        String before = Manifest.sha256(target);

        Files.createSymbolicLink(release.resolve("link"), Path.of("manifest.json"));
        assertThatThrownBy(() -> writer.write(release, TOP, target)).isInstanceOf(BundleException.class);

        assertThat(Manifest.sha256(target)).isEqualTo(before);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aReleaseDirReachedThroughALinkIsArchivedLikeTheRealOne() throws IOException {
        Path release = release(dir.resolve("r"), false);
        Path link = Files.createSymbolicLink(dir.resolve("link"), release);
        BundleWriter writer = new BundleWriter(BundleFormat.TAR_GZ, TIME);

        Path viaLink = writer.write(link, TOP, dir.resolve("a.tar.gz"));
        Path direct = writer.write(release, TOP, dir.resolve("b.tar.gz"));

        assertThat(Manifest.sha256(viaLink)).isEqualTo(Manifest.sha256(direct));
    }

    @Test
    void aMissingReleaseDirSaysToRenderFirst() {
        assertThatThrownBy(() ->
                        new BundleWriter(BundleFormat.ZIP, TIME).write(dir.resolve("nope"), TOP, dir.resolve("b.zip")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("render the instance first");
    }

    @Test
    void theTopDirectoryMustBeOnePlainName() throws IOException {
        Path release = release(dir.resolve("r"), false);
        BundleWriter writer = new BundleWriter(BundleFormat.ZIP, TIME);
        for (String bad : List.of("", "..", "a/b", "/abs", "a\\b")) {
            assertThatThrownBy(() -> writer.write(release, bad, dir.resolve("b.zip")))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("one plain name");
        }
    }

    @Test
    void theArchiveMayNotBeWrittenIntoTheTreeItArchives() throws IOException {
        Path release = release(dir.resolve("r"), false);
        assertThatThrownBy(() -> new BundleWriter(BundleFormat.ZIP, TIME).write(release, TOP, release.resolve("b.zip")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("inside the release dir");
    }

    @Test
    void baseNameFollowsTheAttachedArtifactName() {
        assertThat(BundleWriter.baseName("shop", "1.0-SNAPSHOT", "prod.eu1")).isEqualTo("shop-1.0-SNAPSHOT-prod.eu1");
        assertThat(BundleFormat.TAR_GZ.fileName("shop-1.0-prod")).isEqualTo("shop-1.0-prod.tar.gz");
    }

    /**
     * A small release dir: an executable script, a group-writable file, an owner-only file, an empty
     * directory with 0750 and the manifest. {@code reversed} creates the files in the opposite order.
     */
    static Path release(Path root, boolean reversed) throws IOException {
        List<Map.Entry<String, String>> files = new java.util.ArrayList<>(List.of(
                Map.entry("_DEPLOY_/bin/start.sh", "#!/bin/sh\nexec java -jar app.jar\n"),
                Map.entry("_DEPLOY_/etc/app.conf", "port=8080\n"),
                Map.entry("_DEPLOY_/etc/secret.properties", "password=s3cr3t-Pa55\n")));
        if (reversed) {
            java.util.Collections.reverse(files);
            Files.createDirectories(root.resolve("_DEPLOY_/var"));
        }
        for (Map.Entry<String, String> f : files) {
            writeString(root.resolve(f.getKey()), f.getValue());
        }
        Files.createDirectories(root.resolve("_DEPLOY_/var"));
        Files.setPosixFilePermissions(root.resolve("_DEPLOY_/var"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(
                root.resolve("_DEPLOY_/bin/start.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(
                root.resolve("_DEPLOY_/etc/app.conf"), PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setPosixFilePermissions(
                root.resolve("_DEPLOY_/etc/secret.properties"), PosixFilePermissions.fromString("rw-------"));
        for (String d : List.of("", "_DEPLOY_", "_DEPLOY_/bin", "_DEPLOY_/etc")) {
            Files.setPosixFilePermissions(root.resolve(d), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ManifestWriter.write(root, Manifest.scan(root.resolve("_DEPLOY_")));
        Files.setPosixFilePermissions(root.resolve(ReleaseDir.MANIFEST), PosixFilePermissions.fromString("rw-r--r--"));
        return root;
    }

    static void touchEverything(Path root, FileTime time) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setLastModifiedTime(p, time);
            }
        }
    }

    static Map<String, ArchiveReader.Entry> byName(List<ArchiveReader.Entry> entries) {
        return entries.stream().collect(Collectors.toMap(e -> strip(e.name()), Function.identity()));
    }

    private static String strip(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}

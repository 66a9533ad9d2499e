package io.facsimile.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.NameSwapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whatever names the rendered tree holds, no archive entry is absolute, climbs with '..', or is a link. */
class BundleEntryHardeningTest {

    private static final Instant TIME = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path hostileTree() throws IOException {
        Path release = dir.resolve("r");
        for (String name : List.of(
                "_DEPLOY_/..hidden",
                "_DEPLOY_/...",
                "_DEPLOY_/a..b/c",
                "_DEPLOY_/C:x",
                "_DEPLOY_/ünï cødé/ﬁle",
                "_DEPLOY_/" + "d/".repeat(40) + "deep",
                "_DEPLOY_/-rf")) {
            Path file = release.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, name);
        }
        Files.writeString(release.resolve("manifest.json"), "{}");
        return release;
    }

    /** A change another writer of the release dir makes. */
    @FunctionalInterface
    private interface Change {
        void make() throws IOException;
    }

    /** A writer that makes {@code change} between its listing and its archiving: where a race would land it. */
    private static BundleWriter changingAfterListing(BundleFormat format, Change change) {
        return new BundleWriter(format, TIME, () -> {
            try {
                change.make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("input.archive-entries")
    void entriesAreNeverAbsoluteNeverClimbAndNeverLinks(BundleFormat format) throws IOException {
        Path archive = new BundleWriter(format, TIME)
                .write(hostileTree(), "shop-1.0-prod", dir.resolve("b." + format.extension()));
        List<ArchiveReader.Entry> entries = ArchiveReader.read(archive);
        assertThat(entries).hasSizeGreaterThan(10);
        for (ArchiveReader.Entry e : entries) {
            String name = e.name();
            assertThat(name)
                    .as("entry %s", name)
                    .doesNotStartWith("/")
                    .doesNotStartWith("\\")
                    .doesNotMatch("^[A-Za-z]:.*")
                    .startsWith("shop-1.0-prod");
            assertThat(List.of(name.split("/"))).as("entry %s", name).doesNotContain("..", ".");
            assertThat(e.symlink()).as("entry %s", name).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("input.archive-entries")
    void linksOutOfTheTreeInAnyPlaceAreRefused(BundleFormat format) throws IOException {
        for (String[] link : new String[][] {
            {"_DEPLOY_/etc", "/etc"},
            {"_DEPLOY_/up", ".."},
            {"_DEPLOY_/self", "."},
            {"_DEPLOY_/rel", "../../../../etc/passwd"}
        }) {
            Path release = hostileTree();
            Files.createSymbolicLink(release.resolve(link[0]), Path.of(link[1]));
            Path target = dir.resolve("out/b." + format.extension());
            assertThatThrownBy(() -> new BundleWriter(format, TIME).write(release, "shop-1.0-prod", target))
                    .as("link %s -> %s", link[0], link[1])
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("symlink");
            assertThat(target).doesNotExist();
            PathUtils.deleteDirectory(release);
        }
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("input.archive-entries")
    void namesAWindowsExtractorWouldReadAsPathsAreRefused(BundleFormat format) throws IOException {
        for (String name : List.of("_DEPLOY_/..\\..\\x", "_DEPLOY_/C:\\x", "_DEPLOY_/new\nline")) {
            Path release = hostileTree();
            Files.writeString(release.resolve(name), "x");
            Path target = dir.resolve("out/b." + format.extension());
            assertThatThrownBy(() -> new BundleWriter(format, TIME).write(release, "shop-1.0-prod", target))
                    .as(name)
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("rename it");
            assertThat(target).doesNotExist();
            PathUtils.deleteDirectory(release);
        }
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("bundle.swapped-link")
    void aFileSwappedForALinkOutsideAfterTheListingIsNeverArchived(BundleFormat format) throws Exception {
        Path release = hostileTree();
        Path swapped = release.resolve("_DEPLOY_/-rf");
        Path outside = Files.writeString(dir.resolve("id_rsa"), "PRIVATE KEY OUTSIDE THE RELEASE DIR");
        Path inside = Files.writeString(dir.resolve("inside"), "_DEPLOY_/-rf");
        // a user who may write the release dir flips one of its files between a file and a link outside; whether
        // a run lands in the window between listing and archiving is luck (the test below lands there always),
        // what must hold in every run is that the outside file is never archived
        try (NameSwapper swapper = NameSwapper.start(
                swapped,
                dir.resolve("swap.next"), // outside the tree: the listing sees only the swapped name
                spare -> Files.createSymbolicLink(spare, outside),
                spare -> Files.copy(inside, spare))) {
            for (int i = 0; i < 200; i++) {
                Path archive = dir.resolve("out/b" + i + "." + format.extension());
                try {
                    new BundleWriter(format, TIME).write(release, "shop-1.0-prod", archive);
                } catch (BundleException e) {
                    if (e.getMessage().contains("after the release dir was listed")) {
                        assertThat(e.getMessage())
                                .contains("replaced by a link")
                                .contains(swapped.toString());
                    } else {
                        // refused at the listing, which saw the link (and may find a file again as it reads it)
                        assertThat(e.getMessage())
                                .containsAnyOf("contains a symlink _DEPLOY_/-rf", "Cannot read release dir");
                    }
                    continue;
                }
                for (ArchiveReader.Entry e : ArchiveReader.read(archive)) {
                    assertThat(new String(e.content(), StandardCharsets.UTF_8))
                            .as("entry %s", e.name())
                            .doesNotContain("PRIVATE KEY");
                }
            }
            assertThat(swapper.swaps()).as("rounds the swapper made").isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("bundle.swapped-link")
    void aFileReplacedByALinkOutsideBetweenListingAndArchivingFailsNamingIt(BundleFormat format) throws Exception {
        Path release = hostileTree();
        Path swapped = release.resolve("_DEPLOY_/-rf");
        Path outside = Files.writeString(dir.resolve("id_rsa"), "PRIVATE KEY OUTSIDE THE RELEASE DIR");
        Path archive = dir.resolve("out/b." + format.extension());
        BundleWriter writer = changingAfterListing(format, () -> {
            Files.delete(swapped);
            Files.createSymbolicLink(swapped, outside);
        });

        assertThatThrownBy(() -> writer.write(release, "shop-1.0-prod", archive))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining(swapped + ": it was replaced by a link after the release dir was listed")
                .satisfies(e -> assertThat(((BundleException) e).isUserError()).isTrue());
        assertThat(archive).doesNotExist();
        assertThat(archive.getParent()).isEmptyDirectory();
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("bundle.swapped-link")
    void aFileThatGrowsOrShrinksBetweenListingAndArchivingFailsNamingIt(BundleFormat format) throws Exception {
        for (String content : List.of("a longer content".repeat(1000), "x")) {
            Path release = hostileTree();
            Path changed = release.resolve("_DEPLOY_/-rf");
            Path archive = dir.resolve("out/b." + format.extension());
            BundleWriter writer = changingAfterListing(format, () -> Files.writeString(changed, content));

            assertThatThrownBy(() -> writer.write(release, "shop-1.0-prod", archive))
                    .as("%d bytes", content.length())
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining(changed + ": it " + (content.length() > 1 ? "grew" : "shrank") + " after")
                    .satisfies(
                            e -> assertThat(((BundleException) e).isUserError()).isTrue());
            assertThat(archive).doesNotExist();
            PathUtils.deleteDirectory(release);
        }
    }

    @ParameterizedTest
    @EnumSource(BundleFormat.class)
    @Case("bundle.swapped-link")
    void aFileThatChangesSizeAfterTheListingFailsNamingItInsteadOfBreakingTheArchive(BundleFormat format)
            throws Exception {
        Path release = hostileTree();
        Path swapped = release.resolve("_DEPLOY_/-rf");
        Path small = Files.writeString(dir.resolve("small"), "short");
        Path big = Files.writeString(dir.resolve("big"), "a longer content".repeat(1000));
        // as above, the window is luck here; every run either archives one whole content or fails naming the file
        try (NameSwapper swapper = NameSwapper.start(
                swapped,
                dir.resolve("swap.next"),
                spare -> Files.copy(small, spare),
                spare -> Files.copy(big, spare))) {
            for (int i = 0; i < 200; i++) {
                Path archive = dir.resolve("out/b" + i + "." + format.extension());
                try {
                    new BundleWriter(format, TIME).write(release, "shop-1.0-prod", archive);
                } catch (BundleException e) {
                    assertThat(e.getMessage())
                            .contains(swapped + ": it ")
                            .containsAnyOf("it grew after", "it shrank after");
                    assertThat(e.isUserError()).isTrue();
                    assertThat(archive).doesNotExist();
                    continue;
                }
                assertThat(ArchiveReader.read(archive))
                        .filteredOn(e -> e.name().endsWith("/-rf"))
                        .singleElement()
                        // one of the contents the file had: its own before the first swap, or a swapped one
                        .satisfies(e -> assertThat(new String(e.content(), StandardCharsets.UTF_8))
                                .isIn("_DEPLOY_/-rf", "short", "a longer content".repeat(1000)));
            }
            assertThat(swapper.swaps()).as("rounds the swapper made").isPositive();
        }
    }
}

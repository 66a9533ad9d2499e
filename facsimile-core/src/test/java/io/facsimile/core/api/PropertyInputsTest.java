package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.incremental.ReleaseDirChangesTest;
import io.facsimile.core.incremental.ReleaseStamp;
import io.facsimile.core.testing.RecordingReporter;
import io.facsimile.core.testing.ShopProject;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the project properties a rendering read are its inputs: a {@code -D} that no template and no
 * definition reads renders nothing again, one they read renders what reads it. Checked on each of the
 * three ways a goal finds an instance up to date: the run's record, the stamp before resolving, and the
 * rendering's inputs after resolving.
 */
class PropertyInputsTest {

    /** What a goal logs for an instance it did not render. */
    private static final String NOT_RENDERED = "release dir up to date, nothing rewritten (no input changed)";

    @TempDir
    Path basedir;

    private Path releaseRoot;
    private final RecordingReporter reporter = new RecordingReporter();

    @BeforeEach
    void project() {
        assumeTrue(ReleaseDirChangesTest.hasGnuFind(), "GNU find on the PATH");
        write("src/main/facsimile/facsimile.yaml", "app: {port: 8080, region: '${prop.region:-none}'}");
        write("src/main/facsimile/dev.yaml", "app: {name: dev}");
        write("src/main/facsimile/prod.yaml", "app: {name: prod}");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "name=$instance.app.name",
                "region=$instance.app.region",
                "revision=$!project.properties.revision");
        releaseRoot = basedir.resolve("target/facsimile");
    }

    private void write(String relative, String... lines) {
        TestFiles.write(basedir, relative, lines);
    }

    /** What {@code mvn facsimile:render -D…} does, with a new facade as each Maven invocation makes one. */
    private List<String> goal(Map<String, String> properties) {
        return goal(properties, Map.of());
    }

    private List<String> goal(Map<String, String> properties, Map<String, String> environment) {
        Facsimile facsimile = facade(properties, environment);
        try (PreparedRender prepared = facsimile.prepareRender()) {
            facsimile.render(facsimile.knownInstances(List.of()).listing(), NO_ARTIFACTS);
        }
        return List.copyOf(reporter.info);
    }

    /** A goal after the record of the run before is removed: it checks its instances one by one, by their stamps. */
    private List<String> goalOneByOne(Map<String, String> properties) throws IOException {
        Files.delete(releaseRoot.resolve(".unchanged-run"));
        return goal(properties);
    }

    private Facsimile facade(Map<String, String> properties, Map<String, String> environment) {
        reporter.info.clear();
        reporter.debug.clear();
        return ShopProject.facade(basedir, properties, environment, reporter);
    }

    private String rendered(String instance) throws IOException {
        return Files.readString(releaseRoot.resolve(instance + "/_DEPLOY_/etc/app.conf"));
    }

    private static boolean notRendered(List<String> log, String instance) {
        return log.stream().anyMatch(line -> line.startsWith(instance + ": " + NOT_RENDERED));
    }

    /** Renders with {@code properties}, then again, which leaves the run's record. */
    private void renderedWith(Map<String, String> properties) {
        goal(properties);
        goal(properties);
        assertThat(releaseRoot.resolve(".unchanged-run")).exists();
    }

    @Test
    void aPropertyNothingReadsRendersNothingAgainWhateverItsValue() throws IOException {
        renderedWith(Map.of("revision", "7"));

        // from the run's record: its key counts only the properties read
        List<String> log = goal(Map.of("revision", "7", "skipTests", "true"));
        assertThat(notRendered(log, "dev")).as(String.join("\n", log)).isTrue();
        assertThat(notRendered(log, "prod")).isTrue();
        // one by one, by the stamp before resolving: the same
        log = goalOneByOne(Map.of("revision", "7", "maven.repo.local", "/tmp/repo"));
        assertThat(notRendered(log, "dev")).as(String.join("\n", log)).isTrue();
        assertThat(rendered("dev")).contains("revision=7");
    }

    @Test
    void aPropertyATemplateReadsRendersAgainOnEachPathToUpToDate() throws IOException {
        renderedWith(Map.of("revision", "7"));

        List<String> log = goal(Map.of("revision", "8"));
        assertThat(notRendered(log, "dev")).isFalse();
        assertThat(rendered("dev")).contains("revision=8");
        assertThat(rendered("prod")).contains("revision=8");

        // one by one, by the stamp before resolving
        goal(Map.of("revision", "8"));
        goalOneByOne(Map.of("revision", "9"));
        assertThat(rendered("dev")).contains("revision=9");
    }

    @Test
    void afterResolvingTheInputsTakeThePropertiesTheLastRenderingRead() throws IOException {
        // an environment variable unset, then empty, takes the same fallback: the stamp's key changes, the
        // definition's values do not, so the rendering's inputs decide, with the properties the stamp names
        write("src/main/facsimile/dev.yaml", "app: {name: dev, tier: '${env.TIER:-none}'}");
        renderedWith(Map.of("revision", "7"));

        List<String> log = goal(Map.of("revision", "7"), Map.of("TIER", ""));
        assertThat(notRendered(log, "dev")).as(String.join("\n", log)).isTrue();
        assertThat(reporter.debug).noneMatch(line -> line.startsWith("dev: not resolved again"));
        goal(Map.of("revision", "8"), Map.of());
        assertThat(rendered("dev")).contains("revision=8");
    }

    @Test
    void aPropertyReadUnsetThenSetRendersAgain() throws IOException {
        renderedWith(Map.of());
        assertThat(rendered("dev")).contains("revision=\n");

        goal(Map.of("revision", "1"));
        assertThat(rendered("dev")).contains("revision=1");
    }

    @Test
    void aPropertyADefinitionReadsRendersAgain() throws IOException {
        renderedWith(Map.of());
        assertThat(rendered("dev")).contains("region=none");

        goal(Map.of("region", "eu1"));
        assertThat(rendered("dev")).contains("region=eu1");
        goal(Map.of("region", "eu1"));
        goalOneByOne(Map.of("region", "eu2"));
        assertThat(rendered("prod")).contains("region=eu2");
    }

    @Test
    void aTemplateThatGoesThroughEveryPropertyReadsThemAll() throws IOException {
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/all.conf",
                "#foreach($name in $project.properties.keySet())$name;#end");
        renderedWith(Map.of("revision", "7"));

        goal(Map.of("revision", "7", "other", "x"));
        assertThat(Files.readString(releaseRoot.resolve("dev/_DEPLOY_/etc/all.conf")))
                .startsWith("other;revision;");
        goal(Map.of("revision", "7", "other", "x"));
        goalOneByOne(Map.of("revision", "7", "other", "y"));
        assertThat(notRendered(reporter.info, "dev")).isFalse();
    }

    @Test
    void aPropertyAskedAboutByContainsKeyIsRead() throws IOException {
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "#if($project.properties.containsKey('flag'))on#{else}off#end");
        renderedWith(Map.of());

        goal(Map.of("unread", "x"));
        assertThat(notRendered(reporter.info, "dev")).isTrue();
        goal(Map.of("flag", ""));
        assertThat(rendered("dev")).startsWith("on");
        goal(Map.of("flag", ""));
        goalOneByOne(Map.of());
        assertThat(rendered("dev")).startsWith("off");
    }

    @Test
    void aLookUpByANumberOrNothingReadsNothingAsBefore() throws IOException {
        write("src/main/facsimile/dev.yaml", "app: {name: dev, none: ~}");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "x=$!project.properties.get($instance.app.port)$!project.properties.get($instance.app.none)"
                        + "$project.properties.containsKey($instance.app.none)");
        renderedWith(Map.of("revision", "7")); // not empty: an empty sorted map never compares a key
        assertThat(rendered("dev")).isEqualTo("x=false\n");
    }

    @Test
    void aNameBuiltFromASecretIsNeverWrittenDownAndReadsAllProperties() throws IOException {
        write("src/main/facsimile/modules.yaml", "- name: shop");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "password=$module.shop.password",
                "x=$!project.properties.get(\"x.$module.shop.password\")");
        renderedWith(Map.of());
        String password = rendered("dev").lines().findFirst().orElseThrow().substring("password=".length());
        assertThat(password).hasSizeGreaterThan(8);

        for (String file : List.of(".dev.stamp", ".unchanged-run")) {
            assertThat(Files.readString(releaseRoot.resolve(file))).doesNotContain(password);
        }
        assertThat(Files.readString(releaseRoot.resolve(".dev.stamp"))).contains("properties\\=*");
        goal(Map.of("unread", "x"));
        assertThat(notRendered(reporter.info, "dev")).isFalse();
    }

    @Test
    void theSealedCopyTakesThePropertiesTheRealRenderingRead() throws IOException {
        oldSources();
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        facade(Map.of("revision", "7"), Map.of()).bundle("dev", request, NO_ARTIFACTS);
        Path stamp = ReleaseStamp.fileFor(releaseRoot.resolve(".sealed/dev"));
        String sealedStamp = Files.readString(stamp);

        // a property nothing reads: the sealed copy is not rendered again (a rendering stamps a new listing)
        facade(Map.of("revision", "7", "skipTests", "true"), Map.of()).bundle("dev", request, NO_ARTIFACTS);
        assertThat(Files.readString(stamp)).isEqualTo(sealedStamp);
        facade(Map.of("revision", "8", "skipTests", "true"), Map.of()).bundle("dev", request, NO_ARTIFACTS);
        assertThat(Files.readString(releaseRoot.resolve(".sealed/dev/_DEPLOY_/etc/app.conf")))
                .contains("revision=8");
    }

    @Test
    void aSealedCopyWhoseTemplatesReadOtherPropertiesTakesThemAllAndIsCurrentWhileNoneChanged() throws IOException {
        // the real rendering sees the password, the sealed copy ********: they read different properties
        write("src/main/facsimile/modules.yaml", "- name: shop");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "#if($module.shop.password == '********')$!project.properties.get('a')"
                        + "#{else}$!project.properties.get('b')#end");
        oldSources();
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        facade(Map.of("a", "1"), Map.of()).bundle("dev", request, NO_ARTIFACTS);
        Path sealed = releaseRoot.resolve(".sealed/dev");
        assertThat(Files.readString(sealed.resolve("_DEPLOY_/etc/app.conf"))).startsWith("1");
        String sealedStamp = Files.readString(ReleaseStamp.fileFor(sealed));

        // stamped with every property: current while none changes (a rendering stamps a new listing)
        facade(Map.of("a", "1"), Map.of()).bundle("dev", request, NO_ARTIFACTS);
        assertThat(Files.readString(ReleaseStamp.fileFor(sealed))).isEqualTo(sealedStamp);
        facade(Map.of("a", "2"), Map.of()).bundle("dev", request, NO_ARTIFACTS);
        assertThat(Files.readString(sealed.resolve("_DEPLOY_/etc/app.conf"))).startsWith("2");
    }

    /**
     * Sources older than the racy window, as a user's are: a stamp that recorded racy inputs is rewritten
     * once they have settled, which a test of the stamp's bytes would take for a rendering.
     */
    private void oldSources() throws IOException {
        try (Stream<Path> files = Files.walk(basedir.resolve("src"))) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
            }
        }
    }

    @Test
    void aPropertyAskedForByMethodIsRead() throws IOException {
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "revision=$project.properties.get('revision')");
        renderedWith(Map.of("revision", "7"));

        List<String> log = goal(Map.of("revision", "7", "unread", "x"));
        assertThat(notRendered(log, "dev")).isTrue();
        goal(Map.of("revision", "8", "unread", "x"));
        assertThat(rendered("dev")).startsWith("revision=8");
    }
}

package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.incremental.OutputRecord;
import io.facsimile.core.incremental.ReleaseDirChangesTest;
import io.facsimile.core.incremental.ReleaseStamp;
import io.facsimile.core.reliability.Case;
import io.facsimile.core.state.StateEncryption;
import io.facsimile.core.state.crypto.KeySource;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.testing.RecordingReporter;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An instance whose inputs did not change is not rendered again; any change, in or out, renders it. */
class IncrementalRenderTest {

    private static final String SKIPPED = "dev: release dir up to date, nothing rewritten (no input changed)";

    @TempDir
    Path basedir;

    private Path defs;
    private Path release;
    private final RecordingReporter reporter = new RecordingReporter();
    private final List<String> log = reporter.info;
    private final List<String> debug = reporter.debug;

    @BeforeEach
    void project() throws IOException {
        defs = basedir.resolve("src/main/facsimile");
        write("src/main/facsimile/facsimile.yaml", "app: {port: 8080}");
        write("src/main/facsimile/dev.yaml", "app: {name: dev}");
        write("src/main/facsimile/modules.yaml", "- name: shop");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "name=$instance.app.name",
                "port=$instance.app.port",
                "password=$module.shop.password");
        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/bin/run.sh", "#!/bin/sh");
        release = basedir.resolve("target/facsimile/dev");
    }

    private void write(String relative, String... lines) {
        TestFiles.write(basedir, relative, lines);
    }

    /** A new facade per call, as each Maven invocation makes one. */
    private Facsimile facsimile(Map<String, String> properties) {
        return facsimile(properties, Map.of(), List.of());
    }

    private Facsimile facsimile(Map<String, String> properties, Map<String, String> environment, List<Path> shared) {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", properties, environment);
        return new Facsimile(new FacsimileConfig(project, null, shared, null, null), reporter);
    }

    private String render() {
        return render(facsimile(Map.of()));
    }

    /**
     * Waits past the file system's clock tick (at most 10 ms) after writing files outside the definitions
     * directory: a file outside whose status changed within that tick before a render began may have
     * changed after the render read it, and the next render renders it again (a user's edit is seconds
     * older than the build).
     */
    private static void settle() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String render(Facsimile facsimile) {
        log.clear();
        debug.clear();
        facsimile.render("dev", NO_ARTIFACTS);
        return log.get(log.size() - 1);
    }

    private Path stateFile() throws IOException {
        try (var files = Files.walk(basedir.resolve(".facsimile/state"))) {
            return files.filter(p -> p.getFileName().toString().equals("state.json"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private String conf() throws IOException {
        return Files.readString(release.resolve("_DEPLOY_/etc/app.conf"));
    }

    @Test
    void anUnchangedInstanceIsSkippedWithoutTouchingAFile() throws IOException {
        assertThat(render()).contains("3 written");
        assertThat(ReleaseStamp.fileFor(release)).exists();
        FileTime before = Files.getLastModifiedTime(release.resolve("manifest.json"));
        assertThat(render()).startsWith(SKIPPED);
        assertThat(Files.getLastModifiedTime(release.resolve("manifest.json"))).isEqualTo(before);
        assertThat(conf()).contains("name=dev", "port=8080");
    }

    private static final String NOT_LISTED =
            "dev: release dir not listed again: find saw no entry in it change since its stamp";

    @Test
    void anUnchangedReleaseDirIsNotListedAgainWhenFindSawNothingChangeInIt() throws IOException {
        assumeTrue(ReleaseDirChangesTest.hasGnuFind(), "GNU find on the PATH");
        render();
        assertThat(debug).doesNotContain(NOT_LISTED);
        assertThat(render()).startsWith(SKIPPED);
        assertThat(debug).contains(NOT_LISTED);
        // anything changed in it is seen, and the stamp lists it again
        Files.writeString(release.resolve("_DEPLOY_/etc/app.conf"), "#", StandardOpenOption.APPEND);
        assertThat(render()).contains("1 written");
        assertThat(debug).doesNotContain(NOT_LISTED);
        assertThat(render()).startsWith(SKIPPED);
        assertThat(debug).contains(NOT_LISTED);
    }

    @Test
    void aPreparedRenderHandsItsCheckAndItsChoicesListingToOneRenderAndDropsThemWhenClosed() throws IOException {
        assumeTrue(ReleaseDirChangesTest.hasGnuFind(), "GNU find on the PATH");
        render();
        Facsimile facsimile = facsimile(Map.of());
        try (PreparedRender prepared = facsimile.prepareRender()) {
            assertThat(facsimile.knownInstances(List.of()).listing()).containsExactly("dev");
            // a template added after the choice is not in this goal's listing: as if added a moment after its start
            write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/new.conf", "new=$instance.app.name");
            assertThat(render(facsimile)).startsWith(SKIPPED);
            assertThat(debug).contains(NOT_LISTED);
            assertThat(release.resolve("_DEPLOY_/etc/new.conf")).doesNotExist();
            // taken once: the next render lists the definitions and asks find anew
            assertThat(render(facsimile)).contains("1 written");
            assertThat(release.resolve("_DEPLOY_/etc/new.conf")).hasContent("new=dev");
        }
    }

    @Test
    void nothingOfAPreparedRenderOutlivesItsGoal() throws IOException {
        assumeTrue(ReleaseDirChangesTest.hasGnuFind(), "GNU find on the PATH");
        render();
        Facsimile facsimile = facsimile(Map.of());
        // a goal that chose its instances and failed before rendering, on a facade kept for later runs
        try (PreparedRender prepared = facsimile.prepareRender()) {
            assertThat(facsimile.knownInstances(List.of()).listing()).containsExactly("dev");
        }
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/new.conf", "new=$instance.app.name");
        Files.writeString(release.resolve("_DEPLOY_/etc/app.conf"), "#", StandardOpenOption.APPEND);
        assertThat(render(facsimile)).contains("2 written");
        assertThat(release.resolve("_DEPLOY_/etc/new.conf")).hasContent("new=dev");
        // and outside a prepared render, choosing the instances keeps nothing
        facsimile.knownInstances(List.of()).listing();
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/other.conf", "other");
        assertThat(render(facsimile)).contains("1 written");
        assertThat(release.resolve("_DEPLOY_/etc/other.conf")).hasContent("other");
    }

    @Test
    void anUnchangedInstanceIsNotEvenResolvedAgain() throws IOException {
        render();
        assertThat(debug).noneMatch(line -> line.contains("not resolved again"));
        assertThat(render()).startsWith(SKIPPED);
        assertThat(debug)
                .contains("dev: not resolved again: its layers, state and environment variables are unchanged");
    }

    private static final String SCHEMA_NOT_RUN = "dev: its layers, state and environment variables are those of"
            + " the last rendering, which checked them against the schema: not checked again";

    /** Makes dev's layer a link to {@code target} (absolute, or relative to the definitions directory) holding {@code layer}. */
    private void linkDevLayer(Path target, String layer) throws IOException {
        TestFiles.writeString(defs.resolve(target), layer + "\n");
        Files.delete(defs.resolve("dev.yaml"));
        Files.createSymbolicLink(defs.resolve("dev.yaml"), target);
    }

    /** Changes the copied script and renders again, which writes it alone. */
    private void renderAfterChangingTheScript() {
        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/bin/run.sh", "#!/bin/sh", "exec shop");
        assertThat(render()).contains("1 written");
    }

    @Test
    void aChangedTemplateOrExtraFileIsRenderedWithoutCheckingTheLayersAgain() throws IOException {
        render();
        renderAfterChangingTheScript();
        assertThat(debug).contains(SCHEMA_NOT_RUN);
        assertThat(Files.readString(release.resolve("_DEPLOY_/bin/run.sh"))).contains("exec shop");

        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
        assertThat(render()).contains("1 written");
        assertThat(debug).contains(SCHEMA_NOT_RUN);
        assertThat(conf()).isEqualTo("name=dev!\n");
    }

    @Test
    @Case("input.stale-record")
    void aChangedLayerIsCheckedAgainstTheSchemaAgain() throws IOException {
        write("src/main/facsimile/dev.yaml", "app: {name: dev}", "deploy: {home: /srv/shop, keep: 2}");
        render();
        // the same size and time as before: only its content differs
        Path dev = defs.resolve("dev.yaml");
        FileTime time = Files.getLastModifiedTime(dev);
        write("src/main/facsimile/dev.yaml", "app: {name: dev}", "deploy: {home: /srv/shop, keep: x}");
        Files.setLastModifiedTime(dev, time);
        assertThatThrownBy(this::render).hasMessageContaining("keep");
        assertThat(debug).doesNotContain(SCHEMA_NOT_RUN);
    }

    @Test
    @Case("input.stale-record")
    void aLayerThatIsALinkIsCheckedAgainstTheSchemaEveryTime() throws IOException {
        linkDevLayer(Path.of("layers/dev.yaml"), "app: {name: linked}");
        render();
        renderAfterChangingTheScript();
        assertThat(debug).doesNotContain(SCHEMA_NOT_RUN);
        assertThat(conf()).startsWith("name=linked\n");
    }

    @Test
    @Case("input.stale-stamp")
    void theEnvironmentVariablesAValueNamesAreInputsAndNoOthers() throws IOException {
        write("src/main/facsimile/dev.yaml", "app: {name: '${env.APP_NAME}', tier: '${env.TIER:-none}'}");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "name=$instance.app.name",
                "tier=$instance.app.tier");
        render(facsimile(Map.of(), Map.of("APP_NAME", "one"), List.of()));
        assertThat(conf()).isEqualTo("name=one\ntier=none\n");
        assertThat(render(facsimile(Map.of(), Map.of("APP_NAME", "one", "PWD", "/elsewhere"), List.of())))
                .startsWith(SKIPPED);
        assertThat(render(facsimile(Map.of(), Map.of("APP_NAME", "two"), List.of())))
                .contains("1 written");
        assertThat(conf()).isEqualTo("name=two\ntier=none\n");
        // set only now: a fallback was taken, but the variable was named all along
        assertThat(render(facsimile(Map.of(), Map.of("APP_NAME", "two", "TIER", "gold"), List.of())))
                .contains("1 written");
        assertThat(conf()).isEqualTo("name=two\ntier=gold\n");
        String stamp = Files.readString(ReleaseStamp.fileFor(release));
        assertThat(stamp).contains("APP_NAME", "TIER").doesNotContain("gold");
    }

    @Test
    @Case("input.stale-stamp")
    void anotherDefaultLocaleOrJavaVersionRendersAgain() throws IOException {
        write("src/main/facsimile/dev.yaml", "app: {name: dev-item}");
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name.toUpperCase()");
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.ENGLISH);
            render();
            assertThat(render()).startsWith(SKIPPED);
            assertThat(conf()).isEqualTo("name=DEV-ITEM\n");
            // as MAVEN_OPTS=-Duser.language=tr would: the same inputs render to other bytes
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertThat(render()).contains("1 written");
            assertThat(conf()).isEqualTo("name=DEV-\u0130TEM\n");
        } finally {
            Locale.setDefault(before);
        }
        // Double.toString of the same value changed with Java 19: another runtime renders again too
        assertThat(FacsimileRun.currentPlatform()).contains(" java " + Runtime.version() + " ");
        // and the umask, which gives the release dir's directories their modes
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(FacsimileRun.currentPlatform()).matches(".* umask 0[0-7]{3}");
        }
    }

    @Test
    @Case("input.stale-stamp")
    void anOutputEditedAndGivenBackItsSizeAndTimeIsRenderedAgain() throws IOException {
        render();
        assertThat(render()).startsWith(SKIPPED);
        Path conf = release.resolve("_DEPLOY_/etc/app.conf");
        String rendered = conf();
        TestFiles.rewriteKeepingItsTime(conf, rendered.replace("8080", "9090"));
        // find saw its change time move: the listing's equal sizes and times do not answer for it
        assertThat(render()).contains("1 written");
        assertThat(conf()).isEqualTo(rendered);
        assertThat(render()).startsWith(SKIPPED);
        // edited so again, then an input changed: the record's size and time do not answer for it either
        TestFiles.rewriteKeepingItsTime(conf, rendered.replace("8080", "9090"));
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/new.conf", "new");
        assertThat(render()).contains("2 written");
        assertThat(conf()).isEqualTo(rendered);
    }

    @Test
    @Case("input.stale-stamp")
    void aDirectoryOfTheReleaseGivenAnotherModeGetsTheModeOfAFreshRendering() throws IOException {
        render();
        Path etc = release.resolve("_DEPLOY_/etc");
        Set<PosixFilePermission> fresh =
                EnumSet.copyOf(Files.getPosixFilePermissions(Files.createDirectory(basedir.resolve("made-now"))));
        fresh.removeAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
        assertThat(Files.getPosixFilePermissions(etc)).isEqualTo(fresh);
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwx------"));
        assertThat(render()).contains("nothing rewritten");
        assertThat(Files.getPosixFilePermissions(etc)).isEqualTo(fresh);
        try (Stream<Path> root = Files.list(release.getParent())) {
            assertThat(root).noneMatch(p -> p.getFileName().toString().startsWith(".facsimile-mode-"));
        }
    }

    @Test
    void anInputThatChangedWithoutChangingTheResolutionIsKeptForTheNextRun() throws IOException {
        // unset and empty take the same fallback: resolved again once, to the same values
        write("src/main/facsimile/dev.yaml", "app: {name: '${env.APP_NAME:-dev}'}");
        render(facsimile(Map.of(), Map.of(), List.of()));
        assertThat(render(facsimile(Map.of(), Map.of("APP_NAME", ""), List.of())))
                .startsWith(SKIPPED);
        assertThat(debug).noneMatch(line -> line.contains("not resolved again"));
        assertThat(render(facsimile(Map.of(), Map.of("APP_NAME", ""), List.of())))
                .startsWith(SKIPPED);
        assertThat(debug).anyMatch(line -> line.contains("not resolved again"));
        assertThat(conf()).startsWith("name=dev\n");
    }

    @Test
    @Case("input.stale-stamp")
    void aStateFileChangedOutsideTheRunIsAnInput() throws IOException {
        render();
        String password = conf().replaceAll("(?s).*password=(\\S+).*", "$1");
        String other = "x".repeat(password.length());
        Path state = stateFile();
        TestFiles.rewriteKeepingItsTime(state, Files.readString(state).replace(password, other)); // content alone tells
        assertThat(render()).contains("1 written");
        assertThat(conf()).contains("password=" + other);
    }

    @Test
    @Case("input.stale-stamp")
    void aLayerInASharedDirectoryIsAnInput() throws IOException {
        write("shared-layers/facsimile.yaml", "db: {host: one}");
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/db.conf", "host=$instance.db.host");
        List<Path> shared = List.of(basedir.resolve("shared-layers"));
        settle();
        render(facsimile(Map.of(), Map.of(), shared));
        assertThat(render(facsimile(Map.of(), Map.of(), shared))).startsWith(SKIPPED);
        write("shared-layers/facsimile.yaml", "db: {host: two}");
        assertThat(render(facsimile(Map.of(), Map.of(), shared))).contains("1 written");
        assertThat(release.resolve("_DEPLOY_/etc/db.conf")).hasContent("host=two");
    }

    @Test
    @Case("input.stale-stamp")
    void aSharedDirectoryReachedThroughALinkIsAnInput() throws IOException {
        write("layers-v1/facsimile.yaml", "db: {host: one}");
        Path shared = Files.createSymbolicLink(basedir.resolve("shared-layers"), basedir.resolve("layers-v1"));
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/db.conf", "host=$instance.db.host");
        render(facsimile(Map.of(), Map.of(), List.of(shared)));
        write("layers-v1/facsimile.yaml", "db: {host: two}");
        assertThat(render(facsimile(Map.of(), Map.of(), List.of(shared)))).contains("1 written");
        assertThat(release.resolve("_DEPLOY_/etc/db.conf")).hasContent("host=two");
    }

    @Test
    @Case("input.outside-read-then-stat")
    void aFileOutsideEditedAfterTheRenderReadItButBeforeItsStampIsRenderedAgainNextTime() throws IOException {
        Path outside = basedir.resolve("elsewhere/dev.yaml");
        linkDevLayer(outside, "app: {name: one}");
        settle(); // so that only the edit below can mark the layer changed while read
        AtomicBoolean edited = new AtomicBoolean();
        // the render has read its layers and templates, and not yet written its files or its stamp
        reporter.onDebug = message -> {
            if (message.contains("as the last rendering recorded them") && !edited.getAndSet(true)) {
                TestFiles.writeString(outside, "app: {name: two}\n");
            }
        };
        render();
        reporter.onDebug = message -> {};
        assertThat(edited).isTrue();
        assertThat(conf()).startsWith("name=one\n");

        assertThat(render()).contains("1 written");
        assertThat(conf()).startsWith("name=two\n");
    }

    @Test
    @Case("input.stale-stamp")
    void aLayerThatIsALinkToAFileOutsideIsWatched() throws IOException {
        linkDevLayer(basedir.resolve("elsewhere/dev.yaml"), "app: {name: one}");
        settle();
        render();
        assertThat(conf()).startsWith("name=one\n");
        assertThat(render()).startsWith(SKIPPED);
        write("elsewhere/dev.yaml", "app: {name: two}");
        assertThat(render()).contains("1 written");
        assertThat(conf()).startsWith("name=two\n");
    }

    @Test
    @Case("input.stale-stamp")
    void aDefinitionsDirectoryThatIsALinkIsListedThroughIt() throws IOException {
        Path link = Files.createSymbolicLink(basedir.resolve("defs-link"), defs);
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        FacsimileConfig config = new FacsimileConfig(project, link, List.of(), null, null);
        new Facsimile(config, Reporter.silent()).render("dev", NO_ARTIFACTS);
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name, edited");
        new Facsimile(config, Reporter.silent()).render("dev", NO_ARTIFACTS);
        assertThat(conf()).isEqualTo("name=dev, edited\n");
    }

    @Test
    @Case("input.stale-stamp")
    void oneFacadeReadsATemplateOrLayerAgainInItsNextRun() throws IOException {
        // the bench and an IDE keep one facade for many runs: what a run reads once is not kept for the next
        write("src/main/facsimile/test.yaml", "app: {name: test}");
        Facsimile facsimile = facsimile(Map.of());
        facsimile.render(List.of("dev", "test"), NO_ARTIFACTS);
        assertThat(conf()).startsWith("name=dev\n");
        Path test = basedir.resolve("target/facsimile/test/_DEPLOY_/etc/app.conf");
        assertThat(test).content().startsWith("name=test\n");

        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name, again");
        facsimile.render(List.of("dev", "test"), NO_ARTIFACTS);

        assertThat(conf()).isEqualTo("name=dev, again\n");
        assertThat(test).hasContent("name=test, again");

        // a layer too: each run parses the shared layers once, and the next run parses them again
        write("src/main/facsimile/dev.yaml", "app: {name: dev2}");
        facsimile.render(List.of("dev", "test"), NO_ARTIFACTS);
        assertThat(conf()).isEqualTo("name=dev2, again\n");
        assertThat(test).hasContent("name=test, again");
    }

    @Test
    @Case("input.same-tick-edit")
    void aTemplateOrLayerListedWithinTheTickOfItsTimeIsCheckedByContent() throws IOException {
        render();
        Map<String, List<String>> edits = new java.util.LinkedHashMap<>();
        edits.put("tmpl/_ALL_/_DEPLOY_/etc/app.conf", List.of("name=", "NAME="));
        edits.put("dev.yaml", List.of("dev}", "DEV}"));
        for (String input : edits.keySet()) {
            Path file = defs.resolve(input);
            // as if written a moment before the build listed it: a rewrite in the same clock tick after
            // the listing keeps its size and its time
            FileTime recent = FileTime.from(Instant.now().minusMillis(50));
            Files.setLastModifiedTime(file, recent);
            render();
            assertThat(Files.readString(ReleaseStamp.fileFor(release))).contains(file.toString());
            // the same size
            Files.writeString(
                    file,
                    Files.readString(file)
                            .replace(edits.get(input).get(0), edits.get(input).get(1)));
            Files.setLastModifiedTime(file, recent);
            assertThat(render()).as(input).doesNotStartWith(SKIPPED);
        }
        assertThat(conf()).startsWith("NAME=DEV\n");
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    void anInputCheckedByContentIsDroppedFromTheStampOnceItsTimeIsOld() throws IOException, InterruptedException {
        render();
        Path template = defs.resolve("tmpl/_ALL_/_DEPLOY_/etc/app.conf");
        Instant written = Instant.now().minusMillis(1_000);
        Files.setLastModifiedTime(template, FileTime.from(written));
        render();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.readString(ReleaseStamp.fileFor(release)).contains(template.toString()),
                "the run listed the template more than a second after setting its time");
        Thread.sleep(Math.max(
                0,
                java.time.Duration.between(Instant.now(), written.plusMillis(2_200))
                        .toMillis()));
        assertThat(render()).startsWith(SKIPPED);
        assertThat(Files.readString(ReleaseStamp.fileFor(release))).doesNotContain(template.toString());
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    @Case("input.stale-stamp")
    void aChangedTemplateDefinitionOrPropertyIsRenderedAgain() throws IOException {
        render();
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
        assertThat(render()).contains("1 written");
        assertThat(conf()).isEqualTo("name=dev!\n");
        write("src/main/facsimile/dev.yaml", "app: {name: dev2}");
        assertThat(render()).contains("1 written");
        assertThat(conf()).isEqualTo("name=dev2!\n");
        // a project property the templates read; one they do not read is no input
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!$!project.properties.x");
        assertThat(render()).contains("release dir up to date, nothing rewritten in"); // rendered, the same
        log.clear();
        facsimile(Map.of("x", "y")).render("dev", NO_ARTIFACTS);
        assertThat(log.get(log.size() - 1)).contains("1 written");
        assertThat(conf()).isEqualTo("name=dev2!y\n");
        log.clear();
        facsimile(Map.of("x", "y", "unread", "z")).render("dev", NO_ARTIFACTS);
        assertThat(log.get(log.size() - 1)).startsWith(SKIPPED);
        assertThat(render()).contains("1 written");
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    @Case("input.stale-stamp")
    void aNewTemplateAndAChangedModeAreRenderedAgain() throws IOException {
        render();
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/new.conf", "new");
        assertThat(render()).contains("1 written");
        assertThat(release.resolve("_DEPLOY_/etc/new.conf")).hasContent("new");
        Path script = defs.resolve("extra/_ALL_/_DEPLOY_/bin/run.sh");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(render()).contains("1 written");
        assertThat(Files.isExecutable(release.resolve("_DEPLOY_/bin/run.sh"))).isTrue();
    }

    @Test
    @Case("input.stale-stamp")
    void anOutputEditedAddedOrRemovedInTheReleaseDirIsRestored() throws IOException {
        render();
        String rendered = conf();
        // same size, so only the time tells: the stamp must not trust it
        Files.writeString(release.resolve("_DEPLOY_/etc/app.conf"), rendered.replace("dev", "DEV"));
        assertThat(render()).contains("1 written");
        assertThat(conf()).isEqualTo(rendered);
        Files.writeString(release.resolve("_DEPLOY_/etc/stray.conf"), "x");
        assertThat(render()).contains("1 removed");
        Files.delete(release.resolve("_DEPLOY_/bin/run.sh"));
        assertThat(render()).contains("1 written");
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    @Case("input.stale-record")
    void aReRenderTakesAnUnchangedCopyFromItsRecordAndReadsAChangedOne() throws IOException {
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        Path script = renderWithScriptDated(old);
        String recorded = manifestDigest("bin/run.sh");
        // the same size and time: the record answers for the copy, which is neither read nor copied again
        // (a quick check, as rsync's); the template's change is what renders the instance again
        rewriteKeepingSizeAndTimeThenEditTheTemplate(script, old);
        assertThat(render()).contains("1 written, 2 unchanged");
        assertThat(release.resolve("_DEPLOY_/bin/run.sh")).hasContent("#!/bin/sh");
        assertThat(manifestDigest("bin/run.sh")).isEqualTo(recorded);
        // a new time: read, copied and digested again
        Files.setLastModifiedTime(script, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(render()).contains("1 written, 2 unchanged");
        assertThat(release.resolve("_DEPLOY_/bin/run.sh")).hasContent("#!/bin/zz");
        assertThat(manifestDigest("bin/run.sh"))
                .isEqualTo(io.facsimile.core.release.Manifest.sha256(release.resolve("_DEPLOY_/bin/run.sh")));
        assertThat(io.facsimile.core.release.Manifest.read(release.resolve("manifest.json")))
                .isEqualTo(io.facsimile.core.release.Manifest.scan(release.resolve("_DEPLOY_")));
    }

    private static final String REFRESHED = "dev: only the contents of copied files changed since the last rendering";

    /** Two copied files dated a minute ago (a time the record trusts), rendered; the script. */
    private Path renderWithOldCopies() throws IOException {
        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/etc/motd.txt", "welcome");
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(defs.resolve("extra/_ALL_/_DEPLOY_/etc/motd.txt"), old);
        return renderWithScriptDated(old);
    }

    /**
     * Rewrites the copied script with {@code content}, dated half a minute ago, as an editor that saves a
     * new file over the old one does: its directory's time changes too.
     */
    private void rewriteScript(Path script, String content) throws IOException {
        Path saved = script.resolveSibling(".run.sh.swp");
        Files.writeString(saved, content);
        Files.setPosixFilePermissions(saved, Files.getPosixFilePermissions(script));
        Files.setLastModifiedTime(saved, FileTime.from(Instant.now().minusSeconds(30)));
        Files.move(saved, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Case("input.stale-stamp")
    void aChangeOfCopiedFilesAloneRefreshesThemAndWhatTheFullWayWouldWrite() throws IOException {
        Path script = renderWithOldCopies();
        rewriteScript(script, "#!/bin/sh\nexec shop --refreshed\n");
        Facsimile facsimile = facsimile(Map.of());
        assertThat(render(facsimile)).contains("1 written, 3 unchanged, 0 removed");
        assertThat(debug).anyMatch(line -> line.startsWith(REFRESHED + ": 1 of 2 copies refreshed"));
        assertThat(facsimile.run().hasTemplateEngine()).isFalse();
        assertThat(release.resolve("_DEPLOY_/bin/run.sh")).hasContent("#!/bin/sh\nexec shop --refreshed");
        byte[] manifest = Files.readAllBytes(release.resolve("manifest.json"));
        assertThat(io.facsimile.core.release.Manifest.read(release.resolve("manifest.json")))
                .isEqualTo(io.facsimile.core.release.Manifest.scan(release.resolve("_DEPLOY_")));
        // the record holds the refreshed copy's new digest and the others as they were
        Map<String, OutputRecord.Entry> recorded = OutputRecord.read(release).entries();
        assertThat(recorded.get("_DEPLOY_/bin/run.sh").sha256())
                .isEqualTo(io.facsimile.core.release.Manifest.sha256(release.resolve("_DEPLOY_/bin/run.sh")));
        assertThat(recorded.get("_DEPLOY_/bin/run.sh").sourceSize()).isEqualTo(Files.size(script));
        assertThat(recorded).containsKeys("_DEPLOY_/etc/app.conf", "_DEPLOY_/etc/motd.txt");
        // stamped as rendered from these inputs: the next run finds it up to date
        assertThat(render()).startsWith(SKIPPED);
        // what the full way writes from the same inputs, into the same release dir: nothing else
        Files.delete(ReleaseStamp.fileFor(release));
        assertThat(render()).contains("nothing rewritten");
        assertThat(debug).noneMatch(line -> line.startsWith(REFRESHED));
        assertThat(release.resolve("manifest.json")).hasBinaryContent(manifest);
    }

    @Test
    @Case("input.stale-record")
    void aCopyWrittenJustBeforeTheRenderIsRecordedUntrustedAndReadAgainNextTime() throws IOException {
        Path script = renderWithOldCopies();
        // edited in place a moment before the run lists it: its time cannot stand for its content
        Files.writeString(script, "#!/bin/sh\nexec shop now\n");
        FileTime edited = Files.getLastModifiedTime(script);
        assertThat(render()).contains("1 written");
        assertThat(debug).anyMatch(line -> line.startsWith(REFRESHED));
        OutputRecord.Entry recorded = OutputRecord.read(release).entries().get("_DEPLOY_/bin/run.sh");
        assertThat(recorded.sourceSize()).isEqualTo(-1);
        assertThat(recorded.sourceModified()).isEqualTo(-1);
        // rewritten with the same size, its time put back: read again, the record never vouched for it
        Files.writeString(script, "#!/bin/sh\nexec shop wow\n");
        Files.setLastModifiedTime(script, edited);
        assertThat(render()).contains("1 written");
        assertThat(debug).anyMatch(line -> line.startsWith(REFRESHED));
        assertThat(release.resolve("_DEPLOY_/bin/run.sh")).hasContent("#!/bin/sh\nexec shop wow");
    }

    @Test
    @Case("input.stale-stamp")
    void aTemplateThatIsAlsoCopiedIsRenderedAgainWhenItChanges() throws IOException {
        // the template shipped beside its rendering: its content is an input of more than its copy
        write(
                "src/main/facsimile/facsimile.yaml",
                "app: {port: 8080}",
                "install: {groups: [{type: tmpl, dir: tmpl}, {type: copy, dir: extra},"
                        + " {type: copy, files: [tmpl/_ALL_/_DEPLOY_/etc/app.conf], to: share}]}");
        Path template = defs.resolve("tmpl/_ALL_/_DEPLOY_/etc/app.conf");
        Files.setLastModifiedTime(template, FileTime.from(Instant.now().minusSeconds(60)));
        renderWithOldCopies();
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "port=$instance.app.port");
        Files.setLastModifiedTime(template, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(render()).contains("2 written");
        assertThat(debug).noneMatch(line -> line.startsWith(REFRESHED));
        assertThat(conf()).isEqualTo("port=8080\n");
        try (var shared = Files.walk(release.resolve("_DEPLOY_/share"))) {
            assertThat(shared.filter(Files::isRegularFile).toList())
                    .singleElement()
                    .satisfies(copy -> assertThat(copy).hasContent("port=$instance.app.port"));
        }
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    @Case("input.stale-stamp")
    void copiesAreNotRefreshedAloneWhenAnythingElseChanged() throws IOException {
        Path script = renderWithOldCopies();
        // a template changed with the copy: rendered the full way
        rewriteScript(script, "#!/bin/sh\nexec shop 1\n");
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
        assertThat(render()).contains("2 written");
        assertThat(debug).noneMatch(line -> line.startsWith(REFRESHED));
        assertThat(conf()).isEqualTo("name=dev!\n");
        // a copy's mode changed with its content: its mode is the release file's too
        rewriteScript(script, "#!/bin/sh\nexec shop 22\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(render()).contains("1 written");
        assertThat(debug).noneMatch(line -> line.startsWith(REFRESHED));
        assertThat(Files.getPosixFilePermissions(release.resolve("_DEPLOY_/bin/run.sh")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        // a new extra file beside a changed one
        rewriteScript(script, "#!/bin/sh\nexec shop 333\n");
        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/etc/new.txt", "new");
        assertThat(render()).contains("2 written");
        assertThat(debug).noneMatch(line -> line.startsWith(REFRESHED));
        // a release file edited beside a changed copy: the full way restores it
        Files.setLastModifiedTime(
                defs.resolve("extra/_ALL_/_DEPLOY_/etc/new.txt"),
                FileTime.from(Instant.now().minusSeconds(60)));
        render();
        String rendered = conf();
        Files.writeString(release.resolve("_DEPLOY_/etc/app.conf"), rendered.replace("dev", "DEV"));
        rewriteScript(script, "#!/bin/sh\nexec shop 4444\n");
        assertThat(render()).contains("2 written");
        assertThat(debug).noneMatch(line -> line.startsWith(REFRESHED));
        assertThat(conf()).isEqualTo(rendered);
        // and with nothing else changed, the copy alone again
        rewriteScript(script, "#!/bin/sh\nexec shop 55555\n");
        assertThat(render()).contains("1 written");
        assertThat(debug).anyMatch(line -> line.startsWith(REFRESHED));
    }

    @Test
    @Case("input.stale-stamp")
    void aRefreshedCopyStillPassesTheOutputChecks() throws IOException {
        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/etc/data.json", "{\"ok\": true}");
        Path json = defs.resolve("extra/_ALL_/_DEPLOY_/etc/data.json");
        Files.setLastModifiedTime(json, FileTime.from(Instant.now().minusSeconds(60)));
        renderWithOldCopies();
        Files.writeString(json, "{\"ok\": ");
        Files.setLastModifiedTime(json, FileTime.from(Instant.now().minusSeconds(30)));
        assertThatThrownBy(this::render)
                .hasMessageContaining("_DEPLOY_/etc/data.json")
                .hasMessageContaining("JSON");
        assertThat(debug).anyMatch(line -> line.startsWith(REFRESHED));
        assertThat(ReleaseStamp.fileFor(release)).doesNotExist();
        assertThat(release.resolve("_DEPLOY_/etc/data.json")).hasContent("{\"ok\": true}");
    }

    @Test
    @Case("input.stale-record")
    void aCopySourceListedWithinTheTickOfItsTimeIsReadAgainAndAnEditedReleaseCopyIsRestored() throws IOException {
        // as if written a moment before the build listed it: a same-size rewrite in the same tick keeps its time
        FileTime recent = FileTime.from(Instant.now().minusMillis(50));
        Path script = renderWithScriptDated(recent);
        rewriteKeepingSizeAndTimeThenEditTheTemplate(script, recent);
        assertThat(render()).contains("2 written");
        assertThat(release.resolve("_DEPLOY_/bin/run.sh")).hasContent("#!/bin/zz");
        // the release copy edited with its size kept: its time differs from the record's, so it is compared
        Files.setLastModifiedTime(script, FileTime.from(Instant.now().minusSeconds(60)));
        render();
        Files.writeString(release.resolve("_DEPLOY_/bin/run.sh"), "#!/bin/yy\n");
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name?");
        assertThat(render()).contains("2 written");
        assertThat(release.resolve("_DEPLOY_/bin/run.sh")).hasContent("#!/bin/zz");
    }

    /** Rewrites the copy source with the same size, puts its time back, and changes the template. */
    /** Dates the copied script {@code time} and renders; the script. */
    private Path renderWithScriptDated(FileTime time) throws IOException {
        Path script = defs.resolve("extra/_ALL_/_DEPLOY_/bin/run.sh");
        Files.setLastModifiedTime(script, time);
        render();
        return script;
    }

    private void rewriteKeepingSizeAndTimeThenEditTheTemplate(Path script, FileTime time) throws IOException {
        Files.writeString(script, "#!/bin/zz\n");
        Files.setLastModifiedTime(script, time);
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
    }

    private String manifestDigest(String path) {
        return io.facsimile.core.release.Manifest.read(release.resolve("manifest.json"))
                .entry(path)
                .orElseThrow()
                .sha256();
    }

    @Test
    @Case("input.stale-stamp")
    void aSourceOutsideTheDefinitionsDirectoryIsWatched() throws IOException {
        write("shared/outside.txt", "one");
        write(
                "src/main/facsimile/facsimile.yaml",
                "app: {port: 8080}",
                "install: {groups: [{type: tmpl, dir: tmpl}, {type: copy, dir: extra},"
                        + " {type: copy, files: [$SRC_DIR$/shared/outside.txt], to: etc}]}");
        settle();
        render();
        assertThat(release.resolve("_DEPLOY_/etc/outside.txt")).hasContent("one");
        assertThat(render()).startsWith(SKIPPED);
        write("shared/outside.txt", "two");
        assertThat(render()).contains("1 written");
        assertThat(release.resolve("_DEPLOY_/etc/outside.txt")).hasContent("two");
    }

    @Test
    @Case("input.stale-stamp")
    void anOptionalFileOrADirectoryOutsideTheDefinitionsIsWatchedForWhatAppearsInIt() throws IOException {
        write("shared/lib/a.jar", "a");
        Files.createDirectories(basedir.resolve("shared/lib/empty"));
        write(
                "src/main/facsimile/facsimile.yaml",
                "app: {port: 8080}",
                "install: {groups: [{type: tmpl, dir: tmpl}, {type: copy, dir: extra},"
                        + " {type: copy, optfiles: [$SRC_DIR$/build/app.properties], to: etc},"
                        + " {type: copy, dir: $SRC_DIR$/shared/lib, to: lib}]}");
        settle();
        render();
        assertThat(release.resolve("_DEPLOY_/etc/app.properties")).doesNotExist();
        assertThat(render()).startsWith(SKIPPED);

        // a later build step writes the optional file: its directory did not even exist
        write("build/app.properties", "made=later");
        assertThat(render()).doesNotStartWith(SKIPPED);
        assertThat(release.resolve("_DEPLOY_/etc/app.properties")).hasContent("made=later");

        // a file in a directory of the copied tree that held none, and one in a new directory
        write("shared/lib/empty/b.jar", "b");
        assertThat(render()).doesNotStartWith(SKIPPED);
        assertThat(release.resolve("_DEPLOY_/lib/empty/b.jar")).hasContent("b");
        write("shared/lib/new/c.jar", "c");
        settle();
        assertThat(render()).doesNotStartWith(SKIPPED);
        assertThat(release.resolve("_DEPLOY_/lib/new/c.jar")).hasContent("c");
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    @Case("input.stale-stamp")
    void aFailedRenderingLeavesNoStampSoTheNextRunRendersAgain() throws IOException {
        render();
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.nosuchkey");
        assertThatThrownBy(this::render).hasMessageContaining("nosuchkey");
        assertThat(ReleaseStamp.fileFor(release)).doesNotExist();
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");
        assertThat(render()).contains("1 written");
    }

    @Test
    @Case("input.stale-stamp")
    void aStampNotOlderThanItsFilesIsNotTrusted() throws IOException {
        render();
        Path stamp = ReleaseStamp.fileFor(release);
        Path conf = release.resolve("_DEPLOY_/etc/app.conf");
        // a file changed in the stamp's own clock tick keeps a time the stamp cannot tell apart
        Files.setLastModifiedTime(stamp, Files.getLastModifiedTime(conf));
        assertThat(render()).doesNotStartWith(SKIPPED).contains("nothing rewritten");
    }

    @Test
    @Case("render.umask-modes")
    void aCheckoutAndDirectoriesMadeUnderUmask002BundleByteForByteAsUnderUmask022() throws IOException {
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        byte[] under022 = Files.readAllBytes(facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS));
        // the same checkout made under umask 002: every source and directory group-writable, and the
        // directories of the release dirs as an earlier render under that umask left them
        for (Path tree : List.of(defs, release, basedir.resolve("target/facsimile/.sealed/dev"))) {
            try (Stream<Path> all = Files.walk(tree)) {
                for (Path p : all.toList()) {
                    if (tree.equals(defs) || Files.isDirectory(p)) {
                        Set<PosixFilePermission> wider = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                        wider.add(PosixFilePermission.GROUP_WRITE);
                        Files.setPosixFilePermissions(p, wider);
                    }
                }
            }
        }

        byte[] under002 = Files.readAllBytes(facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS));

        assertThat(under002).isEqualTo(under022);
        try (Stream<Path> all = Files.walk(release)) {
            assertThat(all.toList())
                    .allSatisfy(p -> assertThat(Files.getPosixFilePermissions(p))
                            .as(p.toString())
                            .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
        }
    }

    @Test
    @Case("bundle.sealed-paths")
    void theSealedCopyShowsTemplatesTheRealReleasesPathsSoOnlySecretsDiffer() throws IOException {
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/paths.conf", "logs=$facs.deployDir/logs");
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));

        facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS);

        Path sealed = basedir.resolve("target/facsimile/.sealed/dev");
        assertThat(sealed.resolve("_DEPLOY_/etc/paths.conf"))
                .hasSameTextualContentAs(release.resolve("_DEPLOY_/etc/paths.conf"));
        assertThat(Files.readString(release.resolve("_DEPLOY_/etc/paths.conf"))).doesNotContain(".sealed");
        assertThat(Files.readString(sealed.resolve("manifest.json")))
                .as("only the file holding the password is sealed")
                .containsOnlyOnce("\"sealed\" : true");
    }

    @Test
    @Case("input.stale-stamp")
    void aSealedCopyEditedAndGivenBackItsSizeAndTimeIsSealedAgain() throws IOException {
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        Path archive = facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS);
        byte[] first = Files.readAllBytes(archive);
        Path conf = basedir.resolve("target/facsimile/.sealed/dev/_DEPLOY_/etc/app.conf");
        String sealed = Files.readString(conf);
        TestFiles.rewriteKeepingItsTime(conf, sealed.replace("8080", "6666"));
        facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS);
        assertThat(Files.readString(conf)).isEqualTo(sealed);
        assertThat(Files.readAllBytes(archive)).isEqualTo(first);
    }

    @Test
    void theSealedCopyIsReusedUntilTheRealRenderingOrTheStateChanges() throws IOException {
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        Path archive = facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS);
        Path sealed = basedir.resolve("target/facsimile/.sealed/dev");
        assertThat(ReleaseStamp.fileFor(sealed)).exists();
        byte[] first = Files.readAllBytes(archive);
        FileTime sealedTime = Files.getLastModifiedTime(sealed.resolve("manifest.json"));
        facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS);
        assertThat(Files.readAllBytes(archive)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(sealed.resolve("manifest.json"))).isEqualTo(sealedTime);
        // a new password: the masked rendering is the same, but the check for secrets must run again
        pastePasswordIntoAnExtraFile("in-extra-file-1");
        assertThatThrownBy(() -> facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS))
                .hasMessageContaining("holds a secret from the state in _DEPLOY_/leak.txt");
        assertThat(ReleaseStamp.fileFor(sealed)).doesNotExist();
    }

    /** Sets the shop's password in the state to {@code password} and writes it into {@code extra/…/leak.txt}. */
    private void pastePasswordIntoAnExtraFile(String password) throws IOException {
        Path state;
        try (Stream<Path> files = Files.walk(basedir.resolve(".facsimile/state"))) {
            state = files.filter(p -> p.toString().endsWith("state.json"))
                    .findFirst()
                    .orElseThrow();
        }
        String json = Files.readString(state);
        Files.writeString(state, json.replaceFirst("\"shop\"\\s*:\\s*\"[^\"]+\"", "\"shop\": \"" + password + "\""));
        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/leak.txt", password);
    }

    @Test
    @Case("bundle.refused-seal")
    void aSealedCopyRefusedForHoldingASecretIsNotLeftBehind() throws IOException {
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS);
        pastePasswordIntoAnExtraFile("in-extra-file-2");
        Path sealed = basedir.resolve("target/facsimile/.sealed/dev");

        assertThatThrownBy(() -> facsimile(Map.of()).bundle("dev", request, NO_ARTIFACTS))
                .hasMessageContaining("holds a secret from the state in _DEPLOY_/leak.txt");

        assertThat(sealed)
                .as("the refused copy, whose leak.txt had its source's mode 0644, is not left in target/")
                .doesNotExist();
    }

    @Test
    void theManifestMadeFromTheWrittenBytesIsWhatAScanOfTheDeployTreeFinds() throws IOException {
        Path script = defs.resolve("extra/_ALL_/_DEPLOY_/bin/run.sh");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Path template = defs.resolve("tmpl/_ALL_/_DEPLOY_/etc/app.conf");
        Files.setPosixFilePermissions(template, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        write("src/main/facsimile/tmpl/_ALL_/not-deployed.txt", "kept in the release dir only");
        render();
        io.facsimile.core.release.Manifest written =
                io.facsimile.core.release.Manifest.read(release.resolve("manifest.json"));
        assertThat(written).isEqualTo(io.facsimile.core.release.Manifest.scan(release.resolve("_DEPLOY_")));
        assertThat(written.files())
                .extracting(e -> e.path() + " " + e.mode())
                .contains("bin/run.sh 0750", "etc/app.conf 0600")
                .noneMatch(line -> line.startsWith("not-deployed"));
    }

    @Test
    void aBrokenOrForeignStampIsIgnored() throws IOException {
        render();
        Path stamp = ReleaseStamp.fileFor(release);
        for (String content : List.of("{}", "{\"version\": 2}", "not json", "")) {
            Files.writeString(stamp, content);
            Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().plusSeconds(60)));
            assertThat(render()).as(content).doesNotStartWith(SKIPPED).contains("nothing rewritten in");
        }
        assertThat(render()).startsWith(SKIPPED);
    }

    @Test
    @Case("input.stale-stamp")
    void savingAnEncryptedStateRendersOnlyTheInstancesThatUseIt() throws Exception {
        write("src/main/facsimile/prod.yaml", "app: {name: prod}");
        KeyPair key = new X25519KeyPairGenerator().generateKeyPair();
        StateEncryption encryption = new StateEncryption(
                null,
                KeySource.of(name -> Optional.empty(), List.of(key.getPrivate().toString()), "test identity"),
                List.of(Recipient.parse(key.getPublic().toString())));
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        Supplier<Facsimile> run =
                () -> new Facsimile(new FacsimileConfig(project, null, List.of(), null, null, encryption), reporter);
        run.get().render("dev", NO_ARTIFACTS);
        String devPassword = conf();
        // prod's first render saves prod.json into src/main/facsimile/state, after dev was stamped
        run.get().render("prod", NO_ARTIFACTS);
        assertThat(defs.resolve("state/dev.json")).exists();
        assertThat(defs.resolve("state/prod.json")).exists();

        assertThat(render(run.get())).startsWith(SKIPPED);

        run.get().rotate("dev", "shop");
        assertThat(render(run.get())).doesNotStartWith(SKIPPED).contains("1 written");
        assertThat(conf()).isNotEqualTo(devPassword);
        log.clear();
        run.get().render("prod", NO_ARTIFACTS);
        assertThat(log)
                .last()
                .asString()
                .startsWith("prod: release dir up to date, nothing rewritten (no input changed)");
    }

    @Test
    void anUnchangedRenderStartsNoTemplateEngine() {
        Facsimile first = facsimile(Map.of());
        assertThat(render(first)).doesNotStartWith(SKIPPED);
        assertThat(first.run().hasTemplateEngine()).isTrue();

        Facsimile again = facsimile(Map.of());
        assertThat(render(again)).startsWith(SKIPPED);
        assertThat(again.run().hasTemplateEngine()).isFalse();
    }

    @Test
    void aRenderingOfCopiesAloneStartsNoTemplateEngine() throws IOException {
        org.apache.commons.io.file.PathUtils.deleteDirectory(defs.resolve("tmpl"));
        Facsimile first = facsimile(Map.of());
        assertThat(render(first)).contains("2 written");
        assertThat(first.run().hasTemplateEngine()).isFalse();

        write("src/main/facsimile/extra/_ALL_/_DEPLOY_/bin/run.sh", "#!/bin/sh", "exec shop");
        Facsimile again = facsimile(Map.of());
        assertThat(render(again)).contains("1 written");
        assertThat(again.run().hasTemplateEngine()).isFalse();
    }

    @Test
    @Case("input.stale-stamp")
    void aTemplateInADirectoryNamedLikeTheStateDirectoryIsStillWatched() throws IOException {
        write(
                "src/main/facsimile/facsimile.yaml",
                "app: {port: 8080}",
                "install:",
                "  groups:",
                "    - {type: tmpl, dir: state}");
        write("src/main/facsimile/state/_ALL_/_DEPLOY_/etc/s.conf", "name=$instance.app.name");
        settle();
        render();
        assertThat(render()).startsWith(SKIPPED);

        write("src/main/facsimile/state/_ALL_/_DEPLOY_/etc/s.conf", "renamed=$instance.app.name");
        assertThat(render()).doesNotStartWith(SKIPPED);
        assertThat(release.resolve("_DEPLOY_/etc/s.conf")).content().startsWith("renamed=dev");
    }
}

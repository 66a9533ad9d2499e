package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.incremental.ReleaseDirChangesTest;
import io.facsimile.core.incremental.ReleaseStamp;
import io.facsimile.core.incremental.UnchangedRun;
import io.facsimile.core.testing.RecordingReporter;
import io.facsimile.core.testing.ShopProject;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render goal after one that left every instance up to date (found so or rendered) asks {@code find}
 * once whether anything changed since, instead of listing the definitions and asking about each release
 * dir; any change, and any doubt, checks the instances one by one again.
 */
class UnchangedRunTest {

    private static final String AS_LAST_RUN = "neither resolved nor listed again";
    private static final String ONE_BY_ONE = "not resolved again: its layers, state and environment variables";

    @TempDir
    Path basedir;

    private Path releaseRoot;
    private final RecordingReporter reporter = new RecordingReporter();

    @BeforeEach
    void project() {
        assumeTrue(ReleaseDirChangesTest.hasGnuFind(), "GNU find on the PATH");
        write("src/main/facsimile/facsimile.yaml", "app: {port: 8080}");
        write("src/main/facsimile/dev.yaml", "app: {name: dev}");
        write("src/main/facsimile/prod.yaml", "app: {name: prod, home: '${env.APP_HOME}'}");
        write("src/main/facsimile/modules.yaml", "- name: shop");
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "name=$instance.app.name",
                "password=$module.shop.password");
        releaseRoot = basedir.resolve("target/facsimile");
    }

    private void write(String relative, String... lines) {
        TestFiles.write(basedir, relative, lines);
    }

    /**
     * Writes a source file and waits a clock tick or two (at most 10 ms): a run whose moment falls in the
     * same tick as a change it may have read cannot tell whether it read it, and records nothing (a user's
     * edit is seconds older than the goal).
     */
    private void edit(String relative, String... lines) {
        write(relative, lines);
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes {@code tree} and everything below it. */
    private static void deleteTree(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** What {@code mvn facsimile:render} does, with a new facade as each Maven invocation makes one. */
    private List<String> goal() {
        return goal(Map.of(), Map.of("APP_HOME", "/srv"), false);
    }

    private List<String> goal(Map<String, String> properties, Map<String, String> environment, boolean prune) {
        reporter.info.clear();
        reporter.debug.clear();
        Facsimile facsimile = facade(properties, environment);
        try (PreparedRender prepared = facsimile.prepareRender()) {
            List<String> instances = facsimile.knownInstances(List.of()).listing();
            if (prune) {
                instances.forEach(facsimile::prune);
            }
            facsimile.render(instances, NO_ARTIFACTS);
        }
        return reporter.info;
    }

    /** A new facade, as each Maven invocation makes one. */
    private Facsimile facade(Map<String, String> properties, Map<String, String> environment) {
        return ShopProject.facade(basedir, properties, environment, reporter);
    }

    private boolean checkedAsLastRun() {
        return reporter.debug.stream().anyMatch(line -> line.contains(AS_LAST_RUN) || line.contains(NOTHING_CHANGED));
    }

    /** The {@code state.json} of the project's one state. */
    private Path stateFile() throws IOException {
        try (Stream<Path> files = Files.walk(basedir.resolve(".facsimile/state"))) {
            return files.filter(p -> p.getFileName().toString().equals("state.json"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private Path record() {
        return releaseRoot.resolve(".unchanged-run");
    }

    /** Renders, then finds every instance up to date one by one, which records the run. */
    private void recorded() {
        assertThat(goal()).anyMatch(line -> line.startsWith("dev: 2 written"));
        assertThat(record()).doesNotExist(); // it saved the new passwords in the state
        goal();
        assertThat(reporter.debug).anyMatch(line -> line.contains(ONE_BY_ONE));
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(record()).exists();
    }

    @Test
    void aRunAfterOneThatFoundEveryInstanceUpToDateTakesItsAnswer() throws IOException {
        recorded();
        assertThat(goal())
                .contains(
                        "dev: release dir up to date, nothing rewritten (no input changed) in target/facsimile/dev",
                        "prod: release dir up to date, nothing rewritten (no input changed) in target/facsimile/prod");
        assertThat(checkedAsLastRun()).isTrue();
        assertThat(reporter.debug).noneMatch(line -> line.contains(ONE_BY_ONE));
        // and again: the record stays as it was
        String before = Files.readString(record());
        goal();
        assertThat(checkedAsLastRun()).isTrue();
        assertThat(record()).hasContent(before);
        assertThat(releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf")).content().startsWith("name=dev");
    }

    @Test
    void aChangedTemplateIsRenderedAndTheRunThatRenderedItRecordedForTheNext() throws IOException {
        recorded();
        String before = Files.readString(record());
        edit("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf")).hasContent("name=dev!");
        // recorded at a moment after its last write, once find saw nothing change since it read or wrote it
        assertThat(moment(Files.readString(record()))).isGreaterThan(moment(before));
        goal();
        assertThat(checkedAsLastRun()).isTrue();
        assertThat(reporter.info)
                .contains("dev: release dir up to date, nothing rewritten (no input changed) in target/facsimile/dev");
        // and what changed after the rendering is seen: in a release dir, and in a stamp
        Files.writeString(releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf"), "#", StandardOpenOption.APPEND);
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf")).hasContent("name=dev!");
        goal();
        assertThat(checkedAsLastRun()).isTrue();
        Path stamp = ReleaseStamp.fileFor(releaseRoot.resolve("dev"));
        Files.write(stamp, Files.readAllBytes(stamp));
        goal();
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void aRenderAfterTheReleaseRootWasRemovedRecordsToo() throws IOException {
        recorded();
        deleteTree(basedir.resolve("target")); // mvn clean
        goal();
        assertThat(reporter.info).anyMatch(line -> line.startsWith("dev: 2 written"));
        assertThat(record()).exists();
        goal();
        assertThat(checkedAsLastRun()).isTrue();
    }

    private static long moment(String record) {
        java.util.regex.Matcher probed =
                java.util.regex.Pattern.compile("(?m)^probed=(\\d+)").matcher(record);
        assertThat(probed.find()).isTrue();
        return Long.parseLong(probed.group(1));
    }

    @Test
    void aRunThatFoundSomeInstancesUpToDateAndRenderedOthersRecordsForTheNext() {
        recorded();
        // only prod reads APP_HOME: dev is found up to date, prod resolved and rendered again
        Map<String, String> environment = Map.of("APP_HOME", "/opt");
        goal(Map.of(), environment, false);
        assertThat(reporter.info)
                .contains(
                        "dev: release dir up to date, nothing rewritten (no input changed) in target/facsimile/dev",
                        "prod: release dir up to date, nothing rewritten in target/facsimile/prod");
        assertThat(record()).exists();
        goal(Map.of(), environment, false);
        assertThat(checkedAsLastRun()).isTrue();
    }

    @Test
    void aRunThatRenderedMoreInstancesThanTheQuestionAllowsRecordsNothing() {
        for (int i = 0; i < UnchangedRun.MOST_RENDERED - 1; i++) {
            write("src/main/facsimile/i" + i + ".yaml", "app: {name: i" + i + "}");
        }
        recorded(); // 33 instances with dev and prod, each found up to date one by one
        edit("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
        goal();
        assertThat(reporter.info).anyMatch(line -> line.startsWith("i0: 1 written"));
        assertThat(record()).doesNotExist();
    }

    @Test
    void aGoalThatWritesNothingLeavesNoReleaseRootBehind() {
        Facsimile facsimile = facade(Map.of(), Map.of("APP_HOME", "/srv"));
        try (PreparedRender prepared = facsimile.prepareRender()) {
            assertThat(releaseRoot).isDirectory(); // made for the render's moment
            // a mistyped instance: refused before anything is written
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> facsimile.knownInstances(List.of()).check("prod.eu2"))
                    .hasMessageContaining("unknown instance");
        }
        assertThat(basedir.resolve("target")).doesNotExist();
    }

    /** The inputs of a check made by hand, keyed as {@code base}, walking the definitions. */
    private Supplier<UnchangedRun.Inputs> inputs() {
        Path definitions = basedir.resolve("src/main/facsimile");
        return () -> new UnchangedRun.Inputs("base", List.of(definitions), ShopProject.context(basedir));
    }

    /** A tally that rendered {@code instance}, whose stamp it wrote is the one there now. */
    private UnchangedRun.Tally renderedAsStamped(String instance) {
        ReleaseStamp stamp = ReleaseStamp.readBack(releaseRoot.resolve(instance));
        UnchangedRun.Tally tally = new UnchangedRun.Tally();
        tally.rendered(instance, stamp.inputs(), stamp.resolution());
        return tally;
    }

    @Test
    void aReleaseDirOfARunThatRenderedIsAskedAboutSinceItsStampListedItNotSinceTheRunsMoment() throws Exception {
        goal();
        UnchangedRun.Tally tally = renderedAsStamped("dev");
        // a file of the release dir changed after its stamp's listing, before the record's moment
        Path file = releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf");
        Files.writeString(file, "#", StandardOpenOption.APPEND);
        Thread.sleep(20); // a clock tick or two later (at most 10 ms), so that the moment alone would miss it
        UnchangedRun check = UnchangedRun.check(releaseRoot, inputs(), false);
        check.record(List.of("dev"), tally, null, inputs(), name -> true);
        assertThat(record()).doesNotExist();
        assertThat(UnchangedRun.check(releaseRoot, inputs(), false).covers(List.of("dev")))
                .isFalse();
        // the same without the change is taken
        goal();
        UnchangedRun again = UnchangedRun.check(releaseRoot, inputs(), false);
        again.record(List.of("dev"), renderedAsStamped("dev"), null, inputs(), name -> true);
        assertThat(UnchangedRun.check(releaseRoot, inputs(), false).covers(List.of("dev")))
                .isTrue();
    }

    @Test
    void aSourceChangedWhileAGoalRenderedIsSeenBeforeItRecords() throws IOException {
        goal();
        UnchangedRun check = UnchangedRun.check(releaseRoot, inputs(), false);
        UnchangedRun.Tally tally = renderedAsStamped("dev");
        // after the goal's moment, while it renders: what it read may be the old content or the new
        write("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name?");
        check.record(List.of("dev"), tally, null, inputs(), name -> true);
        assertThat(record()).doesNotExist();
    }

    @Test
    void aRunThatRenderedRecordsNothingWhenAStampReadBackIsNotTheOneItWrote() throws IOException {
        goal();
        ReleaseStamp dev = ReleaseStamp.readBack(releaseRoot.resolve("dev"));
        UnchangedRun check = UnchangedRun.check(releaseRoot, inputs(), false);
        UnchangedRun.Tally tally = new UnchangedRun.Tally();
        // another run rendered the instance from other inputs (another property, say) since this one stamped it
        tally.rendered("dev", "0".repeat(64), dev.resolution());
        check.record(List.of("dev"), tally, null, inputs(), name -> true);
        assertThat(record()).doesNotExist();
        // or from the same inputs resolved from other values (another environment): its key names other variables
        UnchangedRun otherKey = UnchangedRun.check(releaseRoot, inputs(), false);
        UnchangedRun.Tally keyed = new UnchangedRun.Tally();
        keyed.rendered(
                "dev",
                dev.inputs(),
                ReleaseStamp.readBack(releaseRoot.resolve("prod")).resolution());
        otherKey.record(List.of("dev"), keyed, null, inputs(), name -> true);
        assertThat(record()).doesNotExist();
        // or removed its stamp
        UnchangedRun removed = UnchangedRun.check(releaseRoot, inputs(), false);
        UnchangedRun.Tally stamped = renderedAsStamped("dev");
        Files.delete(ReleaseStamp.fileFor(releaseRoot.resolve("dev")));
        removed.record(List.of("dev"), stamped, null, inputs(), name -> true);
        assertThat(record()).doesNotExist();
    }

    @Test
    void anEditedReleaseFileIsRenderedAgain() throws IOException {
        recorded();
        Files.writeString(releaseRoot.resolve("prod/_DEPLOY_/etc/app.conf"), "#", StandardOpenOption.APPEND);
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(releaseRoot.resolve("prod/_DEPLOY_/etc/app.conf")).content().doesNotEndWith("#");
    }

    @Test
    void aFileAddedToOrRemovedFromAReleaseDirIsSeen() throws IOException {
        recorded();
        Files.writeString(releaseRoot.resolve("dev/stray.txt"), "x");
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(releaseRoot.resolve("dev/stray.txt")).doesNotExist();
        goal();
        goal();
        assertThat(checkedAsLastRun()).isTrue();
        Files.delete(releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf"));
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(releaseRoot.resolve("dev/_DEPLOY_/etc/app.conf")).exists();
    }

    @Test
    void aChangedStateIsSeen() throws IOException {
        recorded();
        Files.writeString(stateFile(), " ", StandardOpenOption.APPEND);
        goal();
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void aPropertyOrAnEnvironmentVariableTheInstancesReadThatChangedIsSeen() throws IOException {
        write(
                "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf",
                "name=$instance.app.name",
                "password=$module.shop.password",
                "extra=$!project.properties.extra");
        recorded();
        assertThat(Files.readString(record()))
                .contains("APP_HOME", "property\\=extra")
                .doesNotContain("/srv"); // names, never values
        // a variable or a property no instance reads does not count
        goal(Map.of("unread", "1"), Map.of("APP_HOME", "/srv", "UNREAD", "x"), false);
        assertThat(checkedAsLastRun()).isTrue();
        goal(Map.of("extra", "1"), Map.of("APP_HOME", "/srv"), false);
        assertThat(checkedAsLastRun()).isFalse();
        goal(Map.of("extra", "1"), Map.of("APP_HOME", "/srv"), false);
        goal(Map.of("extra", "1"), Map.of("APP_HOME", "/srv"), false);
        assertThat(checkedAsLastRun()).isTrue();
        goal(Map.of("extra", "1"), Map.of("APP_HOME", "/opt"), false);
        assertThat(checkedAsLastRun()).isFalse();
        // resolved again with the new value (which no template of this project prints)
        assertThat(reporter.info).contains("prod: release dir up to date, nothing rewritten in target/facsimile/prod");
    }

    @Test
    void aReleaseDirReplacedByACopyOrAStampRewrittenIsSeen() throws IOException {
        recorded();
        Path dev = releaseRoot.resolve("dev");
        Path moved = basedir.resolve("moved");
        Files.move(dev, moved);
        Files.createDirectory(dev);
        try (Stream<Path> files = Files.walk(moved)) {
            for (Path file : files.toList()) {
                if (!file.equals(moved)) {
                    Path copy = dev.resolve(moved.relativize(file).toString());
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        goal();
        goal();
        assertThat(checkedAsLastRun()).isTrue();
        Path stamp = ReleaseStamp.fileFor(dev);
        Files.write(stamp, Files.readAllBytes(stamp));
        goal();
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void aReleaseDirReplacedByALinkIsNotTakenForIt() throws IOException {
        recorded();
        Path dev = releaseRoot.resolve("dev");
        Path elsewhere = basedir.resolve("elsewhere");
        Files.move(dev, elsewhere);
        Files.createSymbolicLink(dev, elsewhere);
        try {
            goal();
        } catch (RuntimeException e) {
            // whatever the render makes of the link, the record did not answer for it
        }
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void pruningChecksEveryInstanceOneByOneAndRemovesTheRecord() {
        recorded();
        goal(Map.of(), Map.of("APP_HOME", "/srv"), true);
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(record()).doesNotExist();
    }

    @Test
    void aRecordWhoseMomentIsNotInThePastIsNotTrusted() throws IOException {
        recorded();
        String text = Files.readString(record());
        Files.writeString(record(), text.replaceAll("(?m)^probed=\\d+", "probed=" + Long.MAX_VALUE / 2));
        goal();
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void aStateDirectoryRemovedIsSeen() throws IOException {
        recorded();
        deleteTree(basedir.resolve(".facsimile/state"));
        goal();
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void aStateReachedThroughALinkBelowTheStateDirectoryIsNeverRecorded() throws IOException {
        goal();
        Path directory = stateFile().getParent();
        Path elsewhere = basedir.resolve("elsewhere-state");
        Files.move(directory, elsewhere);
        Files.createSymbolicLink(directory, elsewhere);
        goal();
        assertThat(reporter.debug).anyMatch(line -> line.contains(ONE_BY_ONE));
        assertThat(record()).doesNotExist(); // find would walk the link, not the state behind it
        Files.writeString(elsewhere.resolve("state.json"), " ", StandardOpenOption.APPEND);
        goal();
        assertThat(checkedAsLastRun()).isFalse();
    }

    @Test
    void theAnswerServesOneRenderOfTheGoalAndNoneAfterAStateChanged() {
        recorded();
        Facsimile facsimile = facade(Map.of(), Map.of("APP_HOME", "/srv"));
        try (PreparedRender prepared = facsimile.prepareRender()) {
            List<String> instances = facsimile.knownInstances(List.of()).listing();
            facsimile.render(instances, NO_ARTIFACTS);
            assertThat(checkedAsLastRun()).isTrue();
            reporter.debug.clear();
            facsimile.render(instances, NO_ARTIFACTS);
            assertThat(checkedAsLastRun()).isFalse();
        }
        facsimile = facade(Map.of(), Map.of("APP_HOME", "/srv"));
        try (PreparedRender prepared = facsimile.prepareRender()) {
            reporter.debug.clear();
            facsimile.rotate("dev", "shop");
            facsimile.render(List.of("dev"), NO_ARTIFACTS);
            assertThat(checkedAsLastRun()).isFalse();
        }
    }

    @Test
    void theKeyAndTheDirectoriesAreTakenBeforeTheRunReadsAnythingAndNoRecordIsWrittenWhenTheyChangedSince() {
        recorded();
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        Path definitions = basedir.resolve("src/main/facsimile");
        UnchangedRun check = UnchangedRun.check(
                releaseRoot,
                () -> {
                    taken.incrementAndGet();
                    return new UnchangedRun.Inputs("base", List.of(definitions), ShopProject.context(basedir));
                },
                false);
        assertThat(check.covers(List.of("dev"))).isFalse(); // another key
        assertThat(taken).hasValue(1);
        UnchangedRun.Tally tally = new UnchangedRun.Tally();
        tally.current("dev");
        // at the end of the goal the directories are not what they were at its start (a link switched)
        check.record(
                List.of("dev"),
                tally,
                null,
                () -> new UnchangedRun.Inputs("base", List.of(basedir), ShopProject.context(basedir)),
                name -> true);
        assertThat(taken).hasValue(1);
        assertThat(record()).doesNotExist();
        check.record(
                List.of("dev"),
                tally,
                null,
                () -> new UnchangedRun.Inputs("base", List.of(definitions), ShopProject.context(basedir)),
                name -> true);
        assertThat(record()).content().contains("instances.0=dev");
    }

    @Test
    void theKeyHoldsTheDeviceAndInodeOfEachDirectorySoThatAnotherMountedInItsPlaceIsSeen() throws IOException {
        Path definitions = basedir.resolve("src/main/facsimile").toRealPath();
        Path other = Files.createDirectories(basedir.resolve("other"));
        String identity = UnchangedRun.identities(List.of(definitions)).get(0);
        assertThat(identity).startsWith(definitions + " ").endsWith(" " + Files.getAttribute(definitions, "unix:ino"));
        // the same path holding another directory (as a mount over it would) keys differently
        Files.move(definitions, basedir.resolve("moved"));
        Files.move(other, definitions);
        assertThat(UnchangedRun.identities(List.of(definitions)).get(0)).isNotEqualTo(identity);
    }

    /** What {@code mvn facsimile:deploy -Dinstance=dev} does, with a new facade. */
    private DeployReport deployGoal() {
        reporter.info.clear();
        reporter.debug.clear();
        Facsimile facsimile = facade(Map.of(), Map.of("APP_HOME", "/srv"));
        try (PreparedRender prepared = facsimile.prepareDeploy()) {
            assertThat(facsimile.knownInstances(List.of()).check("dev")).isEqualTo("dev");
            return facsimile.deploy("dev", new DeployOptions(Set.of(), false, null), NO_ARTIFACTS);
        }
    }

    @Test
    void aDeployAfterOneThatFoundItsInstanceUpToDateTakesTheRecordsAnswerAndStillChecksTheNode() throws IOException {
        write("src/main/facsimile/dev.yaml", "app: {name: dev}", "deploy: {home: " + basedir.resolve("live") + "}");
        deployGoal().requireOk();
        deployGoal().requireOk();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(record()).exists();
        assertThat(Files.readString(record())).contains("instances.0=dev").doesNotContain("prod");
        DeployReport report = deployGoal();
        report.requireOk();
        assertThat(reporter.debug).contains("dev: not listed again: " + NOTHING_CHANGED);
        assertThat(reporter.info).anyMatch(line -> line.contains("is already current"));
        // the node is still the truth: a live file edited is repaired though the render was taken as recorded
        Path live = basedir.resolve("live/current/etc/app.conf");
        Files.writeString(live, "#", StandardOpenOption.APPEND);
        deployGoal().requireOk();
        assertThat(reporter.debug).contains("dev: not listed again: " + NOTHING_CHANGED);
        assertThat(live).content().doesNotEndWith("#");
        // a template changed: rendered and deployed, recorded for the next deploy, which takes it
        edit("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name!");
        deployGoal().requireOk();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(live).content().startsWith("name=dev!");
        assertThat(record()).exists();
        deployGoal().requireOk();
        assertThat(reporter.debug).contains("dev: not listed again: " + NOTHING_CHANGED);
        assertThat(reporter.info).anyMatch(line -> line.contains("is already current"));
    }

    private static final String NOTHING_CHANGED = "find saw nothing change in the definitions, shared and state"
            + " directories, the release dir or its stamp since the last run left it up to date";

    @Test
    void anInstanceTheRecordDoesNotNameIsCheckedOneByOne() throws IOException {
        recorded();
        write("src/main/facsimile/test.yaml", "app: {name: test}");
        goal();
        assertThat(checkedAsLastRun()).isFalse();
        assertThat(reporter.info).anyMatch(line -> line.startsWith("test: 2 written"));
    }
}

package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstallPlannerTest extends InstallTestCase {

    private static Map<String, InstallAction> byDestination(InstallPlan plan) {
        Map<String, InstallAction> map = new LinkedHashMap<>();
        plan.actions().forEach(action -> map.put(action.destination(), action));
        return map;
    }

    /** A path below the definitions directory, its parent created, for a file the test makes itself. */
    private Path newInDefinitions(String relative) throws IOException {
        Path path = fixture.definitions.resolve(relative);
        Files.createDirectories(path.getParent());
        return path;
    }

    /** Asserts that planning {@code prod} with the default groups fails; the caller checks the message. */
    private AbstractThrowableAssert<?, ? extends Throwable> planningFails() {
        return assertThatThrownBy(() -> fixture.plan("prod", InstallGroups.defaults()))
                .isInstanceOf(InstallException.class);
    }

    @Test
    void selectionDirsOfAnInstance() {
        assertThat(InstallPlanner.selectionDirs("prod.eu1")).containsExactly("_ALL_", "prod", "eu1", "prod.eu1");
        assertThat(InstallPlanner.selectionDirs("prod")).containsExactly("_ALL_", "prod");
        assertThat(InstallPlanner.selectionDirs("dev.dev.x")).containsExactly("_ALL_", "dev", "x", "dev.dev.x");
    }

    @Test
    void laterSelectionDirsReplaceEarlierFiles() {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/a.conf", "all");
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/only-all.conf", "all");
        fixture.file("tmpl/prod/_DEPLOY_/etc/a.conf", "prod");
        fixture.file("tmpl/eu1/_DEPLOY_/etc/b.conf", "eu1");
        fixture.file("tmpl/prod.eu1/_DEPLOY_/etc/a.conf", "exact");
        fixture.file("tmpl/staging/_DEPLOY_/etc/a.conf", "staging");

        InstallPlan plan = fixture.plan("prod.eu1", InstallGroups.defaults());

        assertThat(plan.destinations())
                .containsExactly(
                        "_DEPLOY_/etc/only-all.conf",
                        "_DEPLOY_/etc/b.conf",
                        "_DEPLOY_/etc/a.conf",
                        "_DEPLOY_/etc/shop.version");
        assertThat(byDestination(plan).get("_DEPLOY_/etc/a.conf"))
                .isInstanceOfSatisfying(
                        InstallAction.Render.class,
                        render -> assertThat(render.templateName()).isEqualTo("tmpl/prod.eu1/_DEPLOY_/etc/a.conf"));
        assertThat(byDestination(fixture.plan("staging.eu1", InstallGroups.defaults()))
                        .get("_DEPLOY_/etc/a.conf"))
                .isInstanceOfSatisfying(
                        InstallAction.Render.class,
                        render -> assertThat(render.templateName()).isEqualTo("tmpl/staging/_DEPLOY_/etc/a.conf"));
        assertThat(plan.actions().get(plan.actions().size() - 1))
                .isEqualTo(new InstallAction.Write("_DEPLOY_/etc/shop.version", "1.2.3\n"));
    }

    @Test
    void moduleTemplatesRenderPerModuleAndServiceInstance() {
        fixture.file("tmpl/_MODULE_/_DEPLOY_/__module__/__config__.conf", "x");
        Map<String, Object> api0 =
                Map.of("instance_name", "apid.0", "uiid", 1, "logical_name", "api", "config_name", "apid.0");
        Map<String, Object> api1 =
                Map.of("instance_name", "apid.1", "uiid", 2, "logical_name", "api", "config_name", "apid.1");
        Map<String, Object> worker0 = Map.of("instance_name", "workerd.0", "uiid", 3, "logical_name", "worker");
        Map<String, Map<String, Object>> modules = new LinkedHashMap<>();
        modules.put("web", Map.of("name", "web", "genconfig", false));
        modules.put("db", Map.of("name", "db", "genconfig", true));
        modules.put("api", Map.of("name", "api", "genconfig", true, "instances", List.of(api0, api1)));
        modules.put("worker", Map.of("name", "worker", "genconfig", true, "instances", List.of(worker0)));

        InstallPlan plan =
                InstallPlanner.plan(InstallGroups.defaults(), fixture.inputs("prod", modules, OperatingSystem.LINUX));

        assertThat(plan.actions())
                .filteredOn(InstallAction.Render.class::isInstance)
                .map(InstallAction.Render.class::cast)
                .extracting(
                        InstallAction.Render::destination,
                        InstallAction.Render::moduleKey,
                        InstallAction.Render::serviceInstance)
                .containsExactly(
                        tuple("_DEPLOY_/api/apid.0.conf", "api", api0),
                        tuple("_DEPLOY_/api/apid.1.conf", "api", api1),
                        tuple("_DEPLOY_/db/db.conf", "db", null),
                        tuple("_DEPLOY_/worker/worker.conf", "worker", worker0));
    }

    @Test
    void skipRegexAndBinaryExtensions() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "x");
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf.orig", "x");
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/README.md", "x");
        fixture.file("tmpl/_ALL_/_DEPLOY_/lib/logo.PNG", "x");
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/keys.jks", "x");
        List<InstallGroup> groups = List.of(
                new InstallGroup.Templates(0, "tmpl", Pattern.compile("\\.orig$|^README"), null, true, FileModes.NONE));

        Map<String, InstallAction> actions = byDestination(fixture.plan("prod", groups));

        assertThat(actions)
                .containsOnlyKeys(
                        "_DEPLOY_/etc/app.conf",
                        "_DEPLOY_/lib/logo.PNG",
                        "_DEPLOY_/etc/keys.jks",
                        "_DEPLOY_/etc/shop.version");
        assertThat(actions.get("_DEPLOY_/etc/app.conf")).isInstanceOf(InstallAction.Render.class);
        assertThat(actions.get("_DEPLOY_/lib/logo.PNG")).isInstanceOf(InstallAction.Copy.class);
        assertThat(actions.get("_DEPLOY_/etc/keys.jks")).isInstanceOf(InstallAction.Copy.class);
    }

    @Test
    void extraUsesTheSelectionRules() {
        fixture.file("extra/_ALL_/_DEPLOY_/bin/run.sh", "all");
        fixture.file("extra/prod/_DEPLOY_/bin/run.sh", "prod");
        fixture.file("extra/dev/_DEPLOY_/bin/dev.sh", "dev");

        Map<String, InstallAction> actions = byDestination(fixture.plan("prod", InstallGroups.defaults()));

        assertThat(actions).containsOnlyKeys("_DEPLOY_/bin/run.sh", "_DEPLOY_/etc/shop.version");
        assertThat(((InstallAction.Copy) actions.get("_DEPLOY_/bin/run.sh")).source())
                .isEqualTo(fixture.definitions.resolve("extra/prod/_DEPLOY_/bin/run.sh"));
    }

    @Test
    void copyGroupFilesOptfilesPatternAndTo() {
        fixture.file("scripts/start.sh", "s");
        fixture.file("bin/tool/a.txt", "a");
        fixture.file("bin/tool/sub/b.txt", "b");
        Path jar = InstallFixture.write(fixture.buildDir.resolve("shop-1.2.3.jar"), new byte[] {1, 2});
        InstallFixture.write(fixture.basedir.resolve("pom.xml"), new byte[] {3});
        List<InstallGroup> groups = List.of(
                copy(List.of("scripts/start.sh"), List.of("scripts/missing.sh"), null, null, null, ""),
                copy(List.of("$BUILD_DIR$/shop-1.2.3.jar"), List.of(), null, null, null, "lib"),
                copy(
                        List.of("$BUILD_DIR$/shop-1.2.3.jar"),
                        List.of(),
                        null,
                        ".*/(shop)-[^/]*\\.jar$",
                        "$1.jar",
                        "$DEPLOY_DIR$/app"),
                copy(List.of(), List.of(), "bin", "^tool/", "tools/", "opt"),
                copy(List.of("$SRC_DIR$/pom.xml"), List.of("$SRC_DIR$/absent.txt"), null, null, null, "meta"));

        InstallPlan plan = fixture.plan("prod", groups);

        assertThat(plan.destinations())
                .containsExactly(
                        "_DEPLOY_/scripts/start.sh",
                        "_DEPLOY_/lib/shop-1.2.3.jar",
                        "_DEPLOY_/app/shop.jar",
                        "_DEPLOY_/opt/tools/a.txt",
                        "_DEPLOY_/opt/tools/sub/b.txt",
                        "_DEPLOY_/meta/pom.xml",
                        "_DEPLOY_/etc/shop.version");
        assertThat(byDestination(plan).get("_DEPLOY_/app/shop.jar"))
                .isEqualTo(new InstallAction.Copy(jar, "_DEPLOY_/app/shop.jar"));
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        assertThatThrownBy(() -> fixture.plan(
                        "prod", List.of(copy(List.of("conf/missing.xml"), List.of(), null, null, null, ""))))
                .isInstanceOf(InstallException.class)
                .hasMessageStartingWith("install.groups[0] (copy): file \"conf/missing.xml\" does not exist")
                .hasMessageContaining("optfiles");
        assertThatThrownBy(() -> fixture.plan(
                        "prod", List.of(new InstallGroup.Templates(3, "templates", null, null, true, FileModes.NONE))))
                .hasMessageStartingWith("install.groups[3] (tmpl templates): directory");
    }

    @Test
    void artifactGroups() {
        Path jar = InstallFixture.write(fixture.buildDir.resolve("shop-1.2.3.jar"), new byte[] {1});
        Path lib = InstallFixture.write(root.resolve("repo/lib-2.0.jar"), new byte[] {2});
        fixture.artifacts.put("project", jar);
        fixture.artifacts.put("org.example:lib:2.0", lib);
        List<InstallGroup> groups = List.of(
                new InstallGroup.Artifact(0, "project", "lib/", null),
                new InstallGroup.Artifact(1, "org.example:lib:2.0", "lib/lib.jar", null),
                new InstallGroup.Artifact(2, "project", "", null));

        assertThat(fixture.plan("prod", groups).actions())
                .containsExactly(
                        new InstallAction.Copy(jar, "_DEPLOY_/lib/shop-1.2.3.jar"),
                        new InstallAction.Copy(lib, "_DEPLOY_/lib/lib.jar"),
                        new InstallAction.Copy(jar, "_DEPLOY_/shop-1.2.3.jar"),
                        new InstallAction.Write("_DEPLOY_/etc/shop.version", "1.2.3\n"));
    }

    @Test
    void anArtifactThatCannotBeResolvedNamesItsGroup() {
        assertThatThrownBy(() -> fixture.plan("prod", List.of(new InstallGroup.Artifact(4, "project", "lib/", null))))
                .isInstanceOf(InstallException.class)
                .hasMessage("install.groups[4] (artifact project): unknown artifact project");
    }

    @Test
    void osFilter() {
        fixture.file("win/run.cmd", "w");
        fixture.file("nix/run.sh", "n");
        List<InstallGroup> groups = List.of(
                new InstallGroup.Copy(
                        0,
                        List.of("win/run.cmd"),
                        List.of(),
                        null,
                        null,
                        null,
                        "",
                        OperatingSystem.WINDOWS,
                        true,
                        FileModes.NONE),
                new InstallGroup.Copy(
                        1,
                        List.of("nix/run.sh"),
                        List.of(),
                        null,
                        null,
                        null,
                        "",
                        OperatingSystem.LINUX,
                        true,
                        FileModes.NONE));

        assertThat(InstallPlanner.plan(groups, fixture.inputs("prod", Map.of(), OperatingSystem.LINUX))
                        .destinations())
                .containsExactly("_DEPLOY_/nix/run.sh", "_DEPLOY_/etc/shop.version");
        assertThat(InstallPlanner.plan(groups, fixture.inputs("prod", Map.of(), OperatingSystem.WINDOWS))
                        .destinations())
                .containsExactly("_DEPLOY_/win/run.cmd", "_DEPLOY_/etc/shop.version");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "/etc",
                "C:\\x",
                "C:/x",
                "//x",
                "..\\x",
                "../out-evil/x",
                "a/../../x",
                "$BUILD_DIR$/x",
                "$SRC_DIR$",
                "$DEPLOY_DIR$/../../x",
                "$DEPLOY_DIR$/../../prod.eu1-evil/x"
            })
    void destinationsLeavingTheReleaseDirAreRefused(String to) {
        fixture.file("conf/a.txt", "a");
        assertThatThrownBy(() ->
                        fixture.plan("prod", List.of(copy(List.of("conf/a.txt"), List.of(), null, null, null, to))))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("leaves the release dir")
                .satisfies(e -> assertThat(((InstallException) e).isUserError()).isTrue());
        assertThat(fixture.releaseDir).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../x", "a/../../x", "..\\\\x", "C:\\\\x"})
    void rewrittenDestinationsLeavingTheReleaseDirAreRefused(String replace) {
        fixture.file("conf/a.txt", "a");
        assertThatThrownBy(() -> fixture.plan(
                        "prod", List.of(copy(List.of("conf/a.txt"), List.of(), null, "^.*$", replace, ""))))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("leaves the release dir");
    }

    @Test
    void moduleKeysCannotEscape() {
        fixture.file("tmpl/_MODULE_/__module__.conf", "x");
        Map<String, Map<String, Object>> modules = Map.of("../../evil", Map.of("genconfig", true));
        assertThatThrownBy(() -> InstallPlanner.plan(
                        InstallGroups.defaults(), fixture.inputs("prod", modules, OperatingSystem.LINUX)))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("\"../../evil.conf\" leaves the release dir");
    }

    @Test
    void aSymlinkInTheReleaseDirIsRefused() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "x");
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createDirectories(fixture.releaseDir);
        Files.createSymbolicLink(fixture.releaseDir.resolve("_DEPLOY_"), outside);

        planningFails().hasMessageContaining("symbolic link");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aSourceLinkOutOfTheDefinitionsDirIsRefused() throws Exception {
        Path secret = InstallFixture.write(root.resolve("secret.txt"), new byte[] {1});
        Files.createDirectories(fixture.definitions.resolve("extra/_ALL_"));
        Files.createSymbolicLink(fixture.definitions.resolve("extra/_ALL_/stolen.txt"), secret);

        planningFails().hasMessageContaining("is a symbolic link to").hasMessageContaining("outside");
    }

    @Test
    void aLinkInsideTheDefinitionsDirIsFine() throws Exception {
        Path shared = fixture.file("shared/common.conf", "x");
        Files.createDirectories(fixture.definitions.resolve("tmpl/_ALL_"));
        Files.createSymbolicLink(fixture.definitions.resolve("tmpl/_ALL_/common.conf"), shared);

        assertThat(fixture.plan("prod", InstallGroups.defaults()).destinations())
                .contains("common.conf");
    }

    @Test
    void theManifestIsReserved() {
        fixture.file("tmpl/_ALL_/manifest.json", "{}");
        assertThatThrownBy(() -> fixture.plan("prod", InstallGroups.defaults()))
                .hasMessageContaining("manifest.json is reserved");
    }

    @Test
    void aRelativeSourceOutsideTheDefinitionsDirIsRefused() {
        InstallFixture.write(fixture.basedir.resolve("pom.xml"), new byte[] {1});
        assertThatThrownBy(() -> fixture.plan(
                        "prod", List.of(copy(List.of("../../../pom.xml"), List.of(), null, null, null, ""))))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("lies outside")
                .hasMessageContaining("$SRC_DIR$");
    }

    @Test
    void aFileCannotAlsoBeADirectory() {
        fixture.file("tmpl/_ALL_/_DEPLOY_/conf", "file");
        fixture.file("extra/_ALL_/_DEPLOY_/conf/app.conf", "nested");
        planningFails()
                .hasMessage(
                        "install groups produce both the file _DEPLOY_/conf and the file _DEPLOY_/conf/app.conf below it;"
                                + " rename one of them");
    }

    @Test
    @Case("render.odd-files")
    void aFifoOrASocketInExtraOrTmplFailsNamingIt() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/a.conf", "a\n");
        Path fifo = newInDefinitions("extra/_ALL_/_DEPLOY_/pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        planningFails()
                .hasMessageContaining("extra/_ALL_/_DEPLOY_/pipe is not a regular file (a FIFO, socket or device)");
        Files.delete(fifo);
        Path socket = fixture.definitions.resolve("tmpl/_ALL_/_DEPLOY_/etc/s.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            planningFails().hasMessageContaining("_DEPLOY_/etc/s.sock is not a regular file");
        }
    }

    @Test
    @Case("render.odd-files")
    void aDanglingLinkFailsNamingItAndALinkInsideTheDefinitionsIsFollowed() throws Exception {
        fixture.file("shared/common.conf", "common\n");
        Path linked = newInDefinitions("tmpl/_ALL_/_DEPLOY_/etc/common.conf");
        Files.createSymbolicLink(linked, fixture.definitions.resolve("shared/common.conf"));
        InstallPlan plan = fixture.plan("prod", InstallGroups.defaults());
        assertThat(plan.destinations()).contains("_DEPLOY_/etc/common.conf");
        Files.createSymbolicLink(linked.resolveSibling("gone.conf"), fixture.definitions.resolve("shared/gone"));
        planningFails().hasMessageContaining("_DEPLOY_/etc/gone.conf is a link to nothing (dangling)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bell\u0007.conf",
                "two\nlines.conf",
                "invoice\u202Efdp.exe",
                "a\u2066b.conf",
                "line\u2028break.conf"
            })
    @Case("render.odd-files")
    void aNameWithAControlCharacterIsRefusedPrintedEscaped(String name) {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/" + name, "x\n");
        String shown = name.replace("\u0007", "\\u0007")
                .replace("\n", "\\n")
                .replace("\u202E", "\\u202e")
                .replace("\u2066", "\\u2066")
                .replace("\u2028", "\\u2028");
        planningFails()
                .hasMessageContaining(
                        "the file name \"tmpl/_ALL_/_DEPLOY_/etc/" + shown + "\" holds a control character")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(name));
    }
}

package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.reliability.Case;
import io.facsimile.core.template.PropertyReads;
import io.facsimile.core.template.RenderModel;
import io.facsimile.core.template.TemplateEngine;
import io.facsimile.core.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstallExecutorTest extends InstallTestCase {

    private final TemplateEngine engine = new TemplateEngine();

    private RenderModel model(Map<String, Map<String, Object>> modules) {
        return new RenderModel(
                Map.of("db", Map.of("host", "db1")),
                modules,
                List.of(),
                ProjectContext.of(fixture.basedir, "org.example", "shop", "1.2.3"),
                "prod",
                List.of("facsimile.yaml"),
                fixture.releaseDir,
                new PropertyReads());
    }

    /** A new executor per run, as each run reads its source files anew. */
    private InstallExecutor executor() {
        return new InstallExecutor(engine, new SourceFiles(fixture.definitions));
    }

    private InstallSummary install() {
        InstallPlan plan = fixture.plan("prod", InstallGroups.defaults());
        return executor().execute(plan, model(Map.of()));
    }

    /** Installs with the template {@code before}, then again after it was replaced by {@code after}. */
    private InstallSummary reinstallReplacing(String before, String beforeText, String after, String afterText)
            throws IOException {
        Path old = fixture.file(before, beforeText);
        install();
        Files.delete(old);
        fixture.file(after, afterText);
        return install();
    }

    private String read(String relative) throws Exception {
        return Files.readString(fixture.releaseDir.resolve(relative));
    }

    @Test
    void rendersCopiesAndWritesTheVersion() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "host=$instance.db.host\n");
        byte[] png = new byte[256];
        for (int i = 0; i < png.length; i++) {
            png[i] = (byte) i;
        }
        InstallFixture.write(fixture.definitions.resolve("tmpl/_ALL_/_DEPLOY_/www/logo.png"), png);
        fixture.file("extra/_ALL_/_DEPLOY_/bin/raw.sh", "echo $HOME #set($x=1)\n");

        InstallSummary summary = install();

        assertThat(read("_DEPLOY_/etc/app.conf")).isEqualTo("host=db1\n");
        assertThat(Files.readAllBytes(fixture.releaseDir.resolve("_DEPLOY_/www/logo.png")))
                .isEqualTo(png);
        assertThat(read("_DEPLOY_/bin/raw.sh")).isEqualTo("echo $HOME #set($x=1)\n");
        assertThat(read("_DEPLOY_/etc/shop.version")).isEqualTo("1.2.3\n");
        assertThat(summary.written())
                .containsExactly(
                        "_DEPLOY_/etc/app.conf",
                        "_DEPLOY_/www/logo.png",
                        "_DEPLOY_/bin/raw.sh",
                        "_DEPLOY_/etc/shop.version");
        assertThat(summary.unchanged()).isEmpty();
        assertThat(summary.removed()).isEmpty();
    }

    @Test
    void moduleTemplatesSeeModAndSvc() throws Exception {
        fixture.file("tmpl/_MODULE_/_DEPLOY_/etc/__config__.conf", "$mod.username $svc.uiid\n");
        Map<String, Map<String, Object>> modules = Map.of(
                "api",
                Map.of(
                        "username",
                        "api",
                        "genconfig",
                        true,
                        "instances",
                        List.of(
                                Map.of("instance_name", "apid.0", "uiid", 7, "config_name", "apid.0"),
                                Map.of("instance_name", "apid.1", "uiid", 8, "config_name", "apid.1"))));

        InstallPlan plan =
                InstallPlanner.plan(InstallGroups.defaults(), fixture.inputs("prod", modules, OperatingSystem.LINUX));
        executor().execute(plan, model(modules));

        assertThat(read("_DEPLOY_/etc/apid.0.conf")).isEqualTo("api 7\n");
        assertThat(read("_DEPLOY_/etc/apid.1.conf")).isEqualTo("api 8\n");
    }

    @Test
    void posixPermissionsAreKept() throws Exception {
        Path script = fixture.file("tmpl/_ALL_/_DEPLOY_/bin/start.sh", "#!/bin/sh\necho $facs.instance\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Path key = fixture.file("extra/_ALL_/_DEPLOY_/etc/key.pem", "k");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        install();

        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(fixture.releaseDir.resolve("_DEPLOY_/bin/start.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(fixture.releaseDir.resolve("_DEPLOY_/etc/key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(fixture.releaseDir.resolve("_DEPLOY_/etc/shop.version"))))
                .isEqualTo("rw-r--r--");

        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        InstallSummary again = install();
        assertThat(again.written()).containsExactly("_DEPLOY_/bin/start.sh");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(fixture.releaseDir.resolve("_DEPLOY_/bin/start.sh"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void anUnchangedReRenderWritesNothing() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "host=$instance.db.host\n");
        fixture.file("extra/_ALL_/_DEPLOY_/bin/raw.sh", "raw\n");
        install();
        Path conf = fixture.releaseDir.resolve("_DEPLOY_/etc/app.conf");
        Files.setLastModifiedTime(conf, FileTime.fromMillis(1_000_000L));
        Map<String, String> before = fixture.releaseSnapshot();

        InstallSummary summary = install();

        assertThat(summary.nothingChanged()).isTrue();
        assertThat(summary.unchanged()).hasSize(3);
        assertThat(fixture.releaseSnapshot()).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(conf).toMillis()).isEqualTo(1_000_000L);
    }

    @Test
    void staleOutputsAreRemovedButTheManifestIsKept() throws Exception {
        Path old = fixture.file("tmpl/_ALL_/_DEPLOY_/old/old.conf", "old");
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "app");
        install();
        Files.writeString(fixture.releaseDir.resolve("manifest.json"), "{}");
        Files.delete(old);

        InstallSummary summary = install();

        assertThat(summary.removed()).containsExactly("_DEPLOY_/old/old.conf");
        assertThat(fixture.releaseDir.resolve("_DEPLOY_/old")).doesNotExist();
        assertThat(fixture.releaseDir.resolve("manifest.json")).hasContent("{}");
        assertThat(summary.unchanged()).containsExactly("_DEPLOY_/etc/app.conf", "_DEPLOY_/etc/shop.version");
    }

    @Test
    void strayEntriesOfTheReleaseDirAreRemovedAndLinksAmongThemAreNotFollowed() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "app");
        install();
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("kept.txt"), "outside");
        Path etc = fixture.releaseDir.resolve("_DEPLOY_/etc");
        Files.writeString(etc.resolve("stray.conf"), "stray");
        Files.createSymbolicLink(etc.resolve("linked"), outside);
        Files.createDirectories(fixture.releaseDir.resolve("_DEPLOY_/stale/deep"));
        Files.writeString(fixture.releaseDir.resolve("_DEPLOY_/stale/deep/x.txt"), "x");
        Files.createSymbolicLink(fixture.releaseDir.resolve("_DEPLOY_/stale/deep/out"), outside);

        InstallSummary summary = install();

        assertThat(summary.removed())
                .containsExactly(
                        "_DEPLOY_/etc/linked",
                        "_DEPLOY_/etc/stray.conf",
                        "_DEPLOY_/stale/deep/out",
                        "_DEPLOY_/stale/deep/x.txt");
        assertThat(fixture.releaseDir.resolve("_DEPLOY_/stale")).doesNotExist();
        assertThat(etc.resolve("linked")).doesNotExist();
        assertThat(kept).hasContent("outside");
        assertThat(read("_DEPLOY_/etc/app.conf")).isEqualTo("app");
    }

    @Test
    void aTemplateErrorLeavesThePreviousReleaseUntouched() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/a.conf", "a=$instance.db.host\n");
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/old.conf", "old\n");
        install();
        Map<String, String> before = fixture.releaseSnapshot();
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/a.conf", "a=changed\n");
        Files.delete(fixture.definitions.resolve("tmpl/_ALL_/_DEPLOY_/etc/old.conf"));
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/z.conf", "\n\nz=$instance.db.hots\n");

        assertThatThrownBy(this::install)
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("tmpl/_ALL_/_DEPLOY_/etc/z.conf:3:3: undefined reference $instance.db.hots");
        assertThat(fixture.releaseSnapshot()).isEqualTo(before);
    }

    @Test
    void aNonUtf8TemplateIsAUserError() {
        InstallFixture.write(
                fixture.definitions.resolve("tmpl/_ALL_/blob.dat"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(this::install)
                .isInstanceOf(InstallException.class)
                .hasMessageStartingWith("tmpl/_ALL_/blob.dat: not UTF-8 text");
    }

    @Test
    void theExecutorRechecksLinksCreatedAfterPlanning() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "app");
        fixture.file("tmpl/_ALL_/top.conf", "top");
        InstallPlan plan = fixture.plan("prod", InstallGroups.defaults());
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createDirectories(fixture.releaseDir);
        Files.createSymbolicLink(fixture.releaseDir.resolve("_DEPLOY_"), outside);

        assertThatThrownBy(() -> executor().execute(plan, model(Map.of())))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("symbolic link");
        assertThat(outside).isEmptyDirectory();
        assertThat(fixture.releaseDir.resolve("top.conf")).doesNotExist();
    }

    @Test
    void aLinkedFileInADirectoryAlreadyCheckedIsStillRefused() throws Exception {
        // directories are checked once per run; each file must still be checked on its own
        Files.createDirectories(fixture.releaseDir.resolve("etc"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path target = Files.writeString(outside.resolve("passwd"), "untouched");
        Files.createSymbolicLink(fixture.releaseDir.resolve("etc/b.conf"), target);
        InstallPlan plan = new InstallPlan(
                fixture.releaseDir,
                List.of(new InstallAction.Write("etc/a.conf", "a"), new InstallAction.Write("etc/b.conf", "evil")));

        assertThatThrownBy(() -> executor().execute(plan, model(Map.of())))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("etc/b.conf")
                .hasMessageContaining("symbolic link");
        assertThat(target).hasContent("untouched");
        assertThat(fixture.releaseDir.resolve("etc/a.conf")).doesNotExist();
    }

    @Test
    void theExecutorRefusesHandMadeEscapes() throws Exception {
        Files.createDirectories(fixture.releaseDir);
        for (String destination : List.of("../x", "/tmp/x", "a/../../x", "..\\x", "manifest.json")) {
            InstallPlan plan = new InstallPlan(
                    fixture.releaseDir,
                    List.of(new InstallAction.Write("ok.txt", "ok"), new InstallAction.Write(destination, "evil")));
            assertThatThrownBy(() -> executor().execute(plan, model(Map.of()))).isInstanceOf(InstallException.class);
        }
        assertThat(fixture.releaseDir).isEmptyDirectory();
        assertThat(root.resolve("project/target/facsimile/x")).doesNotExist();
    }

    @Test
    void prepareWritesNothing() {
        fixture.file("tmpl/_ALL_/a.conf", "$instance.db.host");
        List<PreparedFile> files = executor().prepare(fixture.plan("prod", InstallGroups.defaults()), model(Map.of()));
        assertThat(files).extracting(PreparedFile::destination).containsExactly("a.conf", "_DEPLOY_/etc/shop.version");
        assertThat(new String(files.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("db1");
        assertThat(fixture.releaseDir).doesNotExist();
    }

    @Test
    @Case("render.umask-modes")
    void aModeSetIsSetExactlyOnEveryNewFileAndOneFromASourceLosesGroupAndOtherWrite() throws Exception {
        // a umask of 022 takes group and other write from a created file: a mode a group sets must keep them
        for (int i = 0; i < 3; i++) {
            Path shared = fixture.file("tmpl/_ALL_/_DEPLOY_/shared/s" + i + ".conf", "s" + i);
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        Path wide = fixture.file("tmpl/_ALL_/_DEPLOY_/other/wide.conf", "w");
        Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rwxrwxr-x"));
        fixture.file("tmpl/_ALL_/_DEPLOY_/shared/plain.conf", "p");

        executor()
                .execute(
                        fixture.plan(
                                "prod",
                                groups(Map.of(
                                        "type", "tmpl", "dir", "tmpl", "modes", Map.of("_DEPLOY_/shared/s*", "0666")))),
                        model(Map.of()));

        for (int i = 0; i < 3; i++) {
            assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/shared/s" + i + ".conf")))
                    .isEqualTo("rw-rw-rw-");
        }
        // from its source, as a checkout under umask 002 made it: group write taken away
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/other/wide.conf"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/shared/plain.conf")))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void aDestinationThatIsAlsoAnotherOnesDirectoryIsRefusedBeforeAnyWrite() {
        for (List<String> order :
                List.of(List.of("_DEPLOY_/a", "_DEPLOY_/a/b"), List.of("_DEPLOY_/a/b", "_DEPLOY_/a"))) {
            List<PreparedFile> files = order.stream()
                    .map(destination -> new PreparedFile(destination, "x".getBytes(StandardCharsets.UTF_8), null, null))
                    .toList();
            assertThatThrownBy(() -> executor().write(fixture.releaseDir, files))
                    .isInstanceOf(InstallException.class)
                    .hasMessageContaining("_DEPLOY_/a is both a file and the directory of _DEPLOY_/a/b");
            assertThat(fixture.releaseDir.resolve("_DEPLOY_")).doesNotExist();
        }
    }

    @Test
    void aNewDirectoryInAnExistingReleaseDirStillRemovesWhatIsStale() throws Exception {
        InstallSummary summary =
                reinstallReplacing("tmpl/_ALL_/_DEPLOY_/old/x.conf", "x", "tmpl/_ALL_/_DEPLOY_/new/y.conf", "y");

        assertThat(summary.written()).contains("_DEPLOY_/new/y.conf");
        assertThat(summary.removed()).containsExactly("_DEPLOY_/old/x.conf");
        assertThat(fixture.releaseDir.resolve("_DEPLOY_/old")).doesNotExist();
    }

    @Test
    void aFileMayBecomeADirectoryAndBack() throws Exception {
        InstallSummary toDirectory =
                reinstallReplacing("tmpl/_ALL_/_DEPLOY_/conf", "file", "tmpl/_ALL_/_DEPLOY_/conf/app.conf", "nested");

        assertThat(read("_DEPLOY_/conf/app.conf")).isEqualTo("nested");
        assertThat(toDirectory.removed()).containsExactly("_DEPLOY_/conf");

        Files.delete(fixture.definitions.resolve("tmpl/_ALL_/_DEPLOY_/conf/app.conf"));
        Files.delete(fixture.definitions.resolve("tmpl/_ALL_/_DEPLOY_/conf"));
        fixture.file("tmpl/_ALL_/_DEPLOY_/conf", "file again");

        InstallSummary toFile = install();

        assertThat(read("_DEPLOY_/conf")).isEqualTo("file again");
        assertThat(toFile.removed()).containsExactly("_DEPLOY_/conf/app.conf");
    }

    @Test
    void checkReportsEveryTemplateError() {
        fixture.file("tmpl/_ALL_/a.conf", "$nope");
        fixture.file("tmpl/_ALL_/b.conf", "fine");
        fixture.file("tmpl/_ALL_/c.conf", "#if(");
        List<io.facsimile.core.FacsimileException> errors =
                executor().check(fixture.plan("prod", InstallGroups.defaults()), model(Map.of()));
        assertThat(errors)
                .extracting(message -> message.getMessage().replaceFirst(";.*", ""))
                .containsExactly(
                        "tmpl/_ALL_/a.conf:1:1: undefined reference $nope",
                        "tmpl/_ALL_/c.conf:1:5: syntax error: Encountered end of template");
        assertThat(fixture.releaseDir).doesNotExist();
    }

    /** The install groups of a layer's {@code install.groups}, each a map as the layer writes it. */
    private static List<InstallGroup> groups(Map<?, ?>... groups) {
        return InstallGroups.from(Map.of("install", Map.of("groups", List.of(groups))));
    }

    /** Writes each file below the definitions directory with its content. */
    private void files(Map<String, String> contents) {
        contents.forEach(fixture::file);
    }

    /** A template whose file is executable (rwxr-xr-x). */
    private void executableTemplate(String relative, String content) throws IOException {
        Path file = fixture.file(relative, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    @Case("render.modes")
    void aGlobOfModesBeatsTheGroupsModeWhichBeatsTheTemplatesOwnPermissions() throws Exception {
        executableTemplate("tmpl/_ALL_/_DEPLOY_/bin/run.sh", "echo $instance.db.host\n");
        files(Map.of(
                "tmpl/_ALL_/_DEPLOY_/etc/app.conf", "host=$instance.db.host\n",
                "tmpl/_ALL_/_DEPLOY_/etc/tls.key", "key\n",
                "extra/_ALL_/_DEPLOY_/lib/plain.txt", "plain\n"));
        List<InstallGroup> groups = groups(
                Map.of("type", "tmpl", "dir", "tmpl", "mode", "0640", "modes", Map.of("_DEPLOY_/etc/*.key", "0400")),
                Map.of("type", "copy", "dir", "extra"));
        executor().execute(fixture.plan("prod", groups), model(Map.of()));
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/tls.key"))).isEqualTo("r--------");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/app.conf"))).isEqualTo("rw-r-----");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/bin/run.sh"))).isEqualTo("rw-r-----");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/lib/plain.txt"))).isEqualTo("rw-r--r--");
    }

    @Test
    @Case("render.modes")
    void aRenderedFileHoldingASecretIsOwnerOnlyUnlessAnExplicitModeIsNarrower() throws Exception {
        executableTemplate("tmpl/_ALL_/_DEPLOY_/bin/start.sh", "PW=s3cret-pw\n");
        files(Map.of(
                "tmpl/_ALL_/_DEPLOY_/etc/db.properties", "password=s3cret-pw\n",
                "tmpl/_ALL_/_DEPLOY_/etc/ro.properties", "password=s3cret-pw\n",
                "tmpl/_ALL_/_DEPLOY_/etc/public.properties", "host=$instance.db.host\n"));
        List<InstallGroup> groups = groups(
                Map.of("type", "tmpl", "dir", "tmpl", "modes", Map.of("**/ro.properties", "0400", "**/db.*", "0664")));
        InstallPlan plan = fixture.plan("prod", groups);
        List<PreparedFile> files =
                InstallExecutor.secretsOwnerOnly(executor().prepare(plan, model(Map.of())), List.of("s3cret-pw"));
        executor().write(fixture.releaseDir, files);
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/db.properties")))
                .isEqualTo("rw-------");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/ro.properties")))
                .isEqualTo("r--------");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/bin/start.sh"))).isEqualTo("rwx------");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/public.properties")))
                .isEqualTo("rw-r--r--");
    }

    @Test
    @Case("render.modes")
    void aSecretFileAlreadyThereWithAWiderModeIsNarrowedOnTheNextRender() throws Exception {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/db.properties", "password=s3cret-pw\n");
        install();
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/db.properties")))
                .isEqualTo("rw-r--r--");
        InstallPlan plan = fixture.plan("prod", InstallGroups.defaults());
        InstallSummary summary = executor()
                .write(
                        fixture.releaseDir,
                        InstallExecutor.secretsOwnerOnly(
                                executor().prepare(plan, model(Map.of())), List.of("s3cret-pw")));
        assertThat(summary.written()).contains("_DEPLOY_/etc/db.properties");
        assertThat(mode(fixture.releaseDir.resolve("_DEPLOY_/etc/db.properties")))
                .isEqualTo("rw-------");
    }

    @Test
    @Case("secrets.escaped-forms")
    void aFileHoldingASecretOnlyThroughAnEscapeIsOwnerOnlyToo() throws Exception {
        // a password of a custom alphabet: every escape writes it differently
        String password = " p&<'\"\\:=#!é/x";
        Map<String, String> templates = new LinkedHashMap<>();
        for (String escape : List.of(
                "$esc.xml($module.db.password)",
                "$esc.html($module.db.password)",
                "$esc.java($module.db.password)",
                "$esc.javascript($module.db.password)",
                "$esc.json($module.db.password)",
                "$esc.url($module.db.password)",
                "$esc.sql($module.db.password)",
                "$esc.unicode($module.db.password)",
                "$esc.propertyKey($module.db.password)",
                "$esc.propertyValue($module.db.password)",
                "$esc.propertyValue(\"user:$module.db.password\")",
                "$esc.xml(\"user:$module.db.password\")",
                "$fmt.json($module.db)",
                "$fmt.yaml($module)",
                "$fmt.properties($module)")) {
            templates.put("tmpl/_ALL_/_DEPLOY_/etc/f" + templates.size() + ".conf", "v=" + escape + "\n");
        }
        templates.put("tmpl/_ALL_/_DEPLOY_/etc/public.conf", "host=$instance.db.host\n");
        files(templates);
        InstallPlan plan = fixture.plan("prod", InstallGroups.defaults());
        List<PreparedFile> prepared = executor()
                .prepare(
                        plan,
                        model(Map.of(
                                "db", Map.of("password", password, "a-rather-long-key-" + "k".repeat(60), password))));

        List<PreparedFile> files = InstallExecutor.secretsOwnerOnly(prepared, List.of(password));

        for (PreparedFile file : files) {
            String content = new String(file.content(), StandardCharsets.UTF_8);
            // the templates above that write the password, and those of the fixture and public.conf that do not
            boolean isPublic = !file.destination().matches("_DEPLOY_/etc/f\\d+\\.conf");
            assertThat(isPublic || !content.contains(password))
                    .as("%s writes the password escaped: %s", file.destination(), content)
                    .isTrue();
            boolean ownerOnly = file.permissions() != null
                    && file.permissions().stream()
                            .noneMatch(bit ->
                                    bit.name().startsWith("GROUP") || bit.name().startsWith("OTHERS"));
            assertThat(ownerOnly).as(file.destination() + ": " + content).isEqualTo(!isPublic);
        }
    }

    @Test
    @Case("render.modes")
    void everySecretIsFoundWhereverItIsAndWhateverItSharesWithTheOthers() {
        List<String> secrets = List.of("", "pw-one", "pw-two", "q", "longer-than-any-file-content-here");
        Map<String, Boolean> holdsSecret = new LinkedHashMap<>();
        holdsSecret.put("a=pw-two", true); // a second secret of the same first byte, at the very end
        holdsSecret.put("pw-one\n", true); // at the start
        holdsSecret.put("x=pw-tw", false); // cut short by the end of the file
        holdsSecret.put("aq", true); // a one-byte secret, last
        holdsSecret.put("none here", false);
        holdsSecret.put("", false);
        List<PreparedFile> files = new ArrayList<>();
        holdsSecret
                .keySet()
                .forEach(text -> files.add(
                        new PreparedFile("f" + files.size(), text.getBytes(StandardCharsets.UTF_8), null, null)));

        List<PreparedFile> marked = InstallExecutor.secretsOwnerOnly(files, secrets);

        List<Boolean> expected = List.copyOf(holdsSecret.values());
        for (int i = 0; i < marked.size(); i++) {
            assertThat(marked.get(i).permissions() != null)
                    .as(marked.get(i).destination())
                    .isEqualTo(expected.get(i));
        }
    }
}

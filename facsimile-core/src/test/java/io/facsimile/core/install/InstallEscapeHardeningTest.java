package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.reliability.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every hostile output or copy name is refused while planning, so that nothing at all is written:
 * not the escaping file, and not the harmless files planned before it. The whole temporary
 * directory (project, build dir and siblings) is compared before and after.
 */
class InstallEscapeHardeningTest extends InstallTestCase {

    @BeforeEach
    void setUp() {
        fixture.file("tmpl/_ALL_/_DEPLOY_/etc/app.conf", "harmless, planned first");
        fixture.file("conf/a.txt", "a");
        InstallFixture.write(root.resolve("outside/secret.txt"), "outside".getBytes());
    }

    /** The default install groups and one more after them. */
    private static List<InstallGroup> defaultsAnd(InstallGroup group) {
        return Stream.concat(InstallGroups.defaults().stream(), Stream.of(group))
                .toList();
    }

    private void assertRefusedWritingNothing(List<InstallGroup> groups) throws IOException {
        Map<String, Long> before = snapshot();
        // The planner runs before the executor touches the disk: refusing here is refusing before any write.
        assertThatThrownBy(() -> InstallPlanner.plan(groups, fixture.inputs("prod")))
                .isInstanceOf(InstallException.class)
                .matches(e -> ((InstallException) e).isUserError());
        assertThat(snapshot()).isEqualTo(before);
        assertThat(Path.of("/etc/x")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "/etc/x",
                "C:\\x",
                "..\\x",
                "//x",
                "../out-evil/x",
                "\\\\server\\x",
                "x/../../y",
                "./../x",
                "%2e%2e/x/../../..",
                "$BUILD_DIR$/../x",
                "$DEPLOY_DIR$/../../prod.eu1-evil/x"
            })
    @Case("input.path-escape")
    void hostileCopyDestinationsAreRefusedBeforeAnyWrite(String to) throws IOException {
        List<InstallGroup> groups = defaultsAnd(copy(List.of("conf/a.txt"), List.of(), null, null, null, to));
        assertRefusedWritingNothing(groups);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/x", "C:\\x", "..\\x", "//x", "../out-evil/x", "a/../../x", "\\\\server\\x"})
    @Case("input.path-escape")
    void renamedNamesNeverLeaveTheDeployTree(String replace) throws IOException {
        // A pattern rewrites the name below the deploy tree (or below 'to'); a leading '/' collapses into it, so
        // "/etc/x" becomes _DEPLOY_/etc/x. What matters: refused, or inside _DEPLOY_ without '..' or '\\'.
        List<InstallGroup> groups = defaultsAnd(copy(
                List.of("conf/a.txt"), List.of(), null, "^.*$", java.util.regex.Matcher.quoteReplacement(replace), ""));
        Map<String, Long> before = snapshot();
        try {
            InstallPlan plan = InstallPlanner.plan(groups, fixture.inputs("prod"));
            assertThat(plan.destinations())
                    .allSatisfy(d -> assertThat(d)
                            .startsWith("_DEPLOY_/")
                            .doesNotContain("..")
                            .doesNotContain("\\")
                            .doesNotContain("//"));
        } catch (InstallException e) {
            assertThat(e.getMessage()).contains("leaves the release dir");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    // Absolute sources are allowed (SPEC §7: "an absolute source lands at its base name"); relative ones must stay in.
    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "../../outside/secret.txt",
                "..\\..\\outside\\secret.txt",
                "conf/../../../outside/secret.txt"
            })
    @Case("input.path-escape")
    void hostileCopySourcesAreRefusedBeforeAnyWrite(String source) throws IOException {
        List<InstallGroup> groups = defaultsAnd(copy(List.of(source), List.of(), null, null, null, ""));
        assertRefusedWritingNothing(groups);
    }

    @Test
    @Case("input.source-symlink")
    void aSourceSymlinkToAFileOutsideIsRefusedBeforeAnyWrite() throws IOException {
        Files.createDirectories(fixture.definitions.resolve("conf"));
        Files.createSymbolicLink(fixture.definitions.resolve("conf/stolen.txt"), root.resolve("outside/secret.txt"));
        assertRefusedWritingNothing(defaultsAnd(copy(List.of("conf/stolen.txt"), List.of(), null, null, null, "")));
        // The same link as a template picked up by the default groups.
        Files.createSymbolicLink(
                fixture.definitions.resolve("tmpl/_ALL_/_DEPLOY_/etc/stolen.conf"), root.resolve("outside/secret.txt"));
        assertRefusedWritingNothing(InstallGroups.defaults());
    }

    private Map<String, Long> snapshot() throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                files.put(
                        root.relativize(p).toString(),
                        Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                                ? Files.size(p) * 31
                                        + Files.getLastModifiedTime(p).toMillis()
                                : -1L);
            }
        }
        return files;
    }
}

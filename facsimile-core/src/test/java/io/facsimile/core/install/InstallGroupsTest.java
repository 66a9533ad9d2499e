package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstallGroupsTest {

    private static Map<String, Object> definition(Object... groups) {
        return Map.of("install", Map.of("groups", List.of(groups)));
    }

    @Test
    void defaultsWhenAbsent() {
        List<InstallGroup> groups = InstallGroups.from(Map.of("db", Map.of()));
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).isInstanceOfSatisfying(InstallGroup.Templates.class, t -> {
            assertThat(t.dir()).isEqualTo("tmpl");
            assertThat(t.dirRequired()).isFalse();
        });
        assertThat(groups.get(1))
                .isInstanceOfSatisfying(
                        InstallGroup.Copy.class, c -> assertThat(c.dir()).isEqualTo("extra"));
        assertThat(InstallGroups.from(Map.of("install", Map.of()))).isEqualTo(groups);
    }

    @Test
    void readsEveryField() {
        List<InstallGroup> groups = InstallGroups.from(definition(
                Map.of("type", "tmpl", "dir", "templates", "skip", "\\.orig$", "os", "Linux"),
                Map.of(
                        "type",
                        "copy",
                        "files",
                        List.of("a", "b"),
                        "optfiles",
                        "c",
                        "dir",
                        "bin",
                        "pattern",
                        "^x/(.*)",
                        "replace",
                        "y/$1",
                        "to",
                        "lib"),
                Map.of("type", "artifact", "artifact", "project", "to", "lib/")));
        InstallGroup.Templates templates = (InstallGroup.Templates) groups.get(0);
        assertThat(templates.dir()).isEqualTo("templates");
        assertThat(templates.skip().pattern()).isEqualTo("\\.orig$");
        assertThat(templates.os()).isEqualTo(OperatingSystem.LINUX);
        assertThat(templates.dirRequired()).isTrue();
        InstallGroup.Copy copy = (InstallGroup.Copy) groups.get(1);
        assertThat(copy.files()).containsExactly("a", "b");
        assertThat(copy.optfiles()).containsExactly("c");
        assertThat(copy.index()).isEqualTo(1);
        assertThat(copy.replace()).isEqualTo("y/$1");
        assertThat(copy.to()).isEqualTo("lib");
        assertThat(groups.get(2)).isEqualTo(new InstallGroup.Artifact(2, "project", "lib/", null));
    }

    @Test
    void errorsNameTheGroupAndTheField() {
        assertThatThrownBy(() -> InstallGroups.from(definition(
                        Map.of("type", "tmpl", "dir", "tmpl"),
                        Map.of("type", "copy", "dir", "extra"),
                        Map.of("type", "cp"))))
                .isInstanceOf(InstallException.class)
                .hasMessage("install.groups[2]: type must be one of tmpl, copy, artifact, found \"cp\"");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("dir", "x"))))
                .hasMessage("install.groups[0]: type must be one of tmpl, copy, artifact, found nothing");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "tmpl", "dir", "t", "os", "bsd"))))
                .hasMessage("install.groups[0]: os must be one of linux, mac, windows, found \"bsd\"");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "tmpl"))))
                .hasMessage("install.groups[0]: a tmpl group needs dir");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "tmpl", "dir", "t", "skip", "(["))))
                .hasMessageStartingWith("install.groups[0]: skip is not a valid regex");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "copy", "to", "lib"))))
                .hasMessage("install.groups[0]: a copy group needs files, optfiles or dir");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "copy", "dir", "d", "todir", "lib"))))
                .hasMessageStartingWith("install.groups[0]: unknown field todir for type copy");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "copy", "files", Map.of()))))
                .hasMessage("install.groups[0]: files must be a list of paths, found a map");
        assertThatThrownBy(() -> InstallGroups.from(Map.of("install", Map.of("groups", "tmpl"))))
                .hasMessage("install.groups must be a list of groups, found the string \"tmpl\"");
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "copy", "dir", "d", "replace", "x"))))
                .hasMessage("install.groups[0]: replace needs a pattern");
    }

    @Test
    void operatingSystemFromOsName() {
        assertThat(OperatingSystem.fromOsName("Windows 11")).isEqualTo(OperatingSystem.WINDOWS);
        assertThat(OperatingSystem.fromOsName("Mac OS X")).isEqualTo(OperatingSystem.MAC);
        assertThat(OperatingSystem.fromOsName("Linux")).isEqualTo(OperatingSystem.LINUX);
    }

    @Test
    void readsModeAndModesAndRefusesWhatIsNotAQuotedOctalMode() {
        InstallGroup group = InstallGroups.from(definition(
                        Map.of("type", "tmpl", "dir", "tmpl", "mode", "0640", "modes", Map.of("etc/*.key", "600"))))
                .get(0);
        assertThat(group.modes().modeOf("etc/a.key")).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(group.modes().modeOf("etc/a.conf")).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(InstallGroups.from(definition(Map.of("type", "copy", "dir", "x")))
                        .get(0)
                        .modes()
                        .modeOf("a"))
                .isNull();
        assertThatThrownBy(() -> InstallGroups.from(definition(Map.of("type", "tmpl", "dir", "t", "mode", 416))))
                .isInstanceOf(InstallException.class)
                .hasMessage("install.groups[0]: mode must be an octal mode in quotes, such as \"0640\", found 416");
        assertThatThrownBy(() -> InstallGroups.from(
                        definition(Map.of("type", "copy", "dir", "t", "modes", Map.of("*.key", "0800")))))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("install.groups[0]: modes \"*.key\" must be an octal mode");
    }
}

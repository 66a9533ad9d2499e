package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellTest {

    @Test
    void leavesPlainWordsAlone() {
        assertThat(Shell.quote("/srv/shop/releases/1.0-abc")).isEqualTo("/srv/shop/releases/1.0-abc");
    }

    @Test
    void quotesEverythingElse() {
        assertThat(Shell.quote("")).isEqualTo("''");
        assertThat(Shell.quote("a b")).isEqualTo("'a b'");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Shell.command("ln", "-s", "x y", "z")).isEqualTo("ln -s 'x y' z");
    }

    @Test
    void refusesNul() {
        assertThatThrownBy(() -> Shell.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Each value goes through a real sh and comes back unchanged. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "with space",
                "it's",
                "\"double\"",
                "$HOME",
                "`id`",
                "a\\b",
                "new\nline",
                "*",
                "-n",
                "'",
                "''",
                "semi;colon",
                "tab\there",
                "ümlaut",
                "!bang",
                "$(echo x)",
                " leading"
            })
    void survivesARealShell(String value) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("sh", "-c", "printf '%s' " + Shell.quote(value))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(value);
    }
}

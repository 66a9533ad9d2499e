package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExcludeFilterTest {

    @Test
    void readsPatternsLikeRsync() {
        ExcludeFilter f = new ExcludeFilter(List.of("*.log", "tmp/", "var/cache/*"));
        assertThat(f.excludes("app.log")).isTrue();
        assertThat(f.excludes("logs/deep/app.log")).isTrue();
        assertThat(f.excludes("app.log.conf")).isFalse();
        assertThat(f.excludes("tmp/x")).isTrue();
        assertThat(f.excludes("a/tmp/x")).isTrue();
        assertThat(f.excludes("tmp")).isFalse();
        assertThat(f.excludesDirectory("tmp")).isTrue();
        assertThat(f.excludes("var/cache/x/y")).isTrue();
        assertThat(f.excludes("other/var/cache/x")).isFalse();
        assertThat(new ExcludeFilter(List.of()).excludes("anything")).isFalse();
    }
}

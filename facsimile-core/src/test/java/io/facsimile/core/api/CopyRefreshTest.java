package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CopyRefreshTest {

    private final String prefix = CopyRefresh.prefix(Path.of("/p/src/main/facsimile"));

    @Test
    void aSourceIsNamedAsTheListingOfTheDefinitionsDirectoryNamesIt() {
        assertThat(prefix).isEqualTo("/p/src/main/facsimile/");
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/extra/_ALL_/a b.txt"))
                .isEqualTo("extra/_ALL_/a b.txt");
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/.hidden/..x"))
                .isEqualTo(".hidden/..x");
    }

    @Test
    void aSourceNotBelowItOrNotSpelledNormalizedHasNoName() {
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile-other/a"))
                .isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile")).isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/")).isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/extra/../../../etc/passwd"))
                .isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/./extra/a"))
                .isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/extra//a"))
                .isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/extra/a/"))
                .isNull();
        assertThat(CopyRefresh.nameBelow(prefix, "/p/src/main/facsimile/extra/.."))
                .isNull();
    }
}

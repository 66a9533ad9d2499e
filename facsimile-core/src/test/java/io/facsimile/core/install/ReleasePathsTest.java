package io.facsimile.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleasePathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"C:x", "c:/x", "Z:", "a:b", "/x", "../x", "a/../../x", "a\\b", ""})
    void destinationsThatLeaveTheReleaseDirAreRefused(String destination) {
        assertThatThrownBy(() -> ReleasePaths.canonical(destination, "test"))
                .isInstanceOf(InstallException.class)
                .hasMessageStartingWith("test: destination");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_DEPLOY_/etc/a.conf", "1:x", "ab:c", "é:x/y", "_DEPLOY_/./etc//a.conf"})
    void otherDestinationsAreKeptInCanonicalForm(String destination) {
        assertThat(ReleasePaths.canonical(destination, "test"))
                .doesNotContain("//")
                .doesNotStartWith("./")
                .isEqualTo(destination.replace("/./", "/").replace("//", "/"));
    }

    @org.junit.jupiter.api.Test
    void aDestinationBelowAnotherIsFoundWithTheTopmostOne() {
        assertThat(ReleasePaths.nested(new java.util.LinkedHashSet<>(java.util.List.of("x", "a/b/c", "a/b", "a"))))
                .contains(new ReleasePaths.Nested("a", "a/b/c"));
        assertThat(ReleasePaths.nested(java.util.Set.of("a", "ab/c", "b/a"))).isEmpty();
    }
}

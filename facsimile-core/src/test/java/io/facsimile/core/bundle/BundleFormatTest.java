package io.facsimile.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BundleFormatTest {

    @Test
    void parsesWhatUsersWrite() {
        assertThat(BundleFormat.parse("tar.gz")).isEqualTo(BundleFormat.TAR_GZ);
        assertThat(BundleFormat.parse(" TGZ ")).isEqualTo(BundleFormat.TAR_GZ);
        assertThat(BundleFormat.parse(".zip")).isEqualTo(BundleFormat.ZIP);
        assertThat(BundleFormat.parse("ZIP")).isEqualTo(BundleFormat.ZIP);
        assertThat(BundleFormat.parse(null)).isEqualTo(BundleFormat.TAR_GZ);
        assertThat(BundleFormat.parse("")).isEqualTo(BundleFormat.TAR_GZ);
    }

    @Test
    void anUnknownFormatListsTheAllowedOnes() {
        assertThatThrownBy(() -> BundleFormat.parse("rar"))
                .isInstanceOf(BundleException.class)
                .hasMessage("Unknown bundle format \"rar\": use one of tar.gz, zip")
                .satisfies(e -> assertThat(((BundleException) e).isUserError()).isTrue());
    }
}

package io.facsimile.core.state.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringNeverRevealsTheValue() {
        Secret secret = Secret.of("hunter2-hunter2");

        assertThat(secret.toString()).isEqualTo("****");
        assertThat(String.valueOf(secret)).doesNotContain("hunter2");
        assertThat("password=" + secret).isEqualTo("password=****");
        assertThat(java.util.List.of(secret).toString()).doesNotContain("hunter2");
    }

    @Test
    void revealReturnsTheValue() {
        assertThat(Secret.of("s3cr3t").reveal()).isEqualTo("s3cr3t");
        assertThat(Secret.of("s3cr3t").length()).isEqualTo(6);
    }

    @Test
    void equalityIsByValue() {
        assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc")).hasSameHashCodeAs(Secret.of("abc"));
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abd")).isNotEqualTo("abc");
    }

    @Test
    void nullIsRejected() {
        assertThatNullPointerException().isThrownBy(() -> Secret.of(null));
    }
}

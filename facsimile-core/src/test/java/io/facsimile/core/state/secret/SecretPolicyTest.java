package io.facsimile.core.state.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretPolicyTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void absentMeans32AlphanumericCharacters() {
        Secret secret = SecretPolicy.parse(null).generate(random);

        assertThat(secret.reveal()).hasSize(32).matches("[A-Za-z0-9]{32}");
        assertThat(SecretPolicy.parse(null)).isEqualTo(SecretPolicy.defaults());
    }

    @Test
    void generatedSecretsDiffer() {
        Set<Secret> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(SecretPolicy.defaults().generate(random));
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void uuidGivesTheOriginalToolsFormat() {
        String value = SecretPolicy.parse("uuid").generate(random).reveal();

        assertThat(value).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(UUID.fromString(value).version()).isEqualTo(4);
    }

    @Test
    void hexWithLength() {
        String value = SecretPolicy.parse(Map.of("length", 48, "alphabet", "hex"))
                .generate(random)
                .reveal();

        assertThat(value).matches("[0-9a-f]{48}");
    }

    @Test
    void lengthAloneKeepsAlnum() {
        assertThat(SecretPolicy.parse(Map.of("length", 12)).generate(random).reveal())
                .matches("[A-Za-z0-9]{12}");
        assertThat(SecretPolicy.parse(Map.of("length", 9L)).generate(random).reveal())
                .hasSize(9);
        assertThat(SecretPolicy.parse(Map.of("length", BigInteger.valueOf(10)))
                        .generate(random)
                        .reveal())
                .hasSize(10);
    }

    @Test
    void alphabetAloneKeeps32() {
        assertThat(SecretPolicy.parse(Map.of("alphabet", "base64url"))
                        .generate(random)
                        .reveal())
                .matches("[A-Za-z0-9_-]{32}");
        assertThat(SecretPolicy.parse(Map.of("alphabet", "HEX"))
                        .generate(random)
                        .reveal())
                .matches("[0-9a-f]{32}");
    }

    @Test
    void literalAlphabetUsesOnlyItsCharacters() {
        String value = SecretPolicy.parse(Map.of("length", 200, "alphabet", "xyz!"))
                .generate(random)
                .reveal();

        assertThat(value).hasSize(200).matches("[xyz!]+");
        assertThat(value.chars().distinct().count()).isEqualTo(4);
    }

    @Test
    void literalAlphabetMayLeaveTheBasicPlane() {
        String value = SecretPolicy.parse(Map.of("length", 10, "alphabet", "\uD83D\uDE00\uD83D\uDE01"))
                .generate(random)
                .reveal();

        assertThat(value.codePointCount(0, value.length())).isEqualTo(10);
    }

    @Test
    void fixedPasswordStringIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> SecretPolicy.parse("hunter2", "modules.yaml: module api"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("modules.yaml: module api: password")
                .hasMessageContaining("\"uuid\"")
                .hasMessageContaining("alphabet")
                .hasMessageNotContaining("hunter2")
                .matches(e -> ((PolicyException) e).isUserError());
    }

    @Test
    void badValuesSayWhatIsAllowed() {
        for (Object bad : List.of(
                42,
                true,
                List.of("a"),
                Map.of("length", 4),
                Map.of("length", 5000),
                Map.of("length", "48"),
                Map.of("length", 12.5),
                Map.of("alphabet", "a"),
                Map.of("alphabet", "aab"),
                Map.of("alphabet", "ab c"),
                Map.of("alphabet", 123),
                Map.of("size", 48))) {
            assertThatThrownBy(() -> SecretPolicy.parse(bad))
                    .as("%s", bad)
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("password")
                    .matches(e -> ((PolicyException) e).isUserError());
        }
    }

    @Test
    void errorNamesTheUnknownKey() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("length", 40);
        map.put("charset", "hex");

        assertThatThrownBy(() -> SecretPolicy.parse(map))
                .hasMessageContaining("[charset]")
                .hasMessageContaining("length: 8..4096");
    }

    @Test
    void repeatedLiteralCharacterIsNamed() {
        assertThatThrownBy(() -> SecretPolicy.parse(Map.of("alphabet", "abca"))).hasMessageContaining("repeats 'a'");
    }
}

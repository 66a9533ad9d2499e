package io.facsimile.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretFormsTest {

    /** Every escape a template can write a value through: each public method of {@link Escapes}. */
    private static final List<Method> ESCAPES = Arrays.stream(Escapes.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
            .toList();

    private static String escape(Method escape, String text) {
        try {
            return (String) escape.invoke(null, text);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyCharacterTakenAsPlainIsLeftAsItIsByEveryEscape() {
        StringBuilder plain = new StringBuilder("._*-");
        for (char c = 'A'; c <= 'Z'; c++) {
            plain.append(c).append(Character.toLowerCase(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            plain.append(c);
        }
        String secret = plain.toString();
        assertThat(ESCAPES).hasSize(11);
        for (Method escape : ESCAPES) {
            assertThat(escape(escape, secret)).as(escape.getName()).isEqualTo(secret);
            assertThat(escape(escape, "user:" + secret)).as(escape.getName()).endsWith(secret);
        }
        assertThat(SecretForms.written(secret)).containsExactly(secret);
    }

    @Test
    void aSecretWithOtherCharactersHasTheFormOfEachEscapeAloneAndAfterOtherText() {
        String secret = " p&<'\"\\:=#!é/x";
        for (Method escape : ESCAPES) {
            String inside = escape(escape, "user:" + secret);
            assertThat(SecretForms.written(secret))
                    .as("%s after other text: %s", escape.getName(), inside)
                    .anyMatch(inside::endsWith)
                    .contains(escape(escape, secret));
        }
        assertThat(SecretForms.shown(secret))
                .containsAll(SecretForms.written(secret))
                .contains(Base64.getEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noFormIsShorterThanTheSecretSoNoneMatchesOrdinaryText() {
        // XML 1.0 cannot hold control characters: its escape drops them, leaving "x"
        String secret = "\u0001\u0002x";
        assertThat(SecretForms.written(secret)).isNotEmpty().allMatch(form -> form.length() >= secret.length());
        assertThat(SecretForms.shown(secret)).doesNotContain("x");
    }

    @Test
    void aSecretWithALineBreakIsFoundAsJacksonWritesIt() {
        String secret = "line\none\u2028two";
        assertThat(SecretForms.written(secret))
                .contains(new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(secret)));
    }
}

package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import io.facsimile.core.text.Escapes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {

    private static final String SECRET = "Zq8vT2mLx0Rk5Wn7Pb3Hc9Ys4Jd6Gf1E";

    @Test
    @Case("secrets.base64-aligned")
    void aSecretInsideABasicAuthHeaderIsMaskedWhateverTheUserNamesLength() {
        Masker masker = new Masker(List.of(SECRET));
        // curl -v prints the header; the password starts at every place of a 3-byte group in turn
        for (String user : List.of("", "a", "ab", "api", "api:", "app1:", "proj0:")) {
            for (String after : List.of("", "\n", "x", "xy")) {
                String header = "Authorization: Basic "
                        + Base64.getEncoder().encodeToString((user + SECRET + after).getBytes(StandardCharsets.UTF_8));
                String masked = masker.mask(header);
                assertThat(masked).as("user '%s', then '%s'", user, after).contains(Masker.MASK);
                // what is left shows at most the few characters that also hold bits of the neighbours
                assertThat(masked.length()).as(masked).isLessThan(header.length() - 30);
            }
        }
    }

    @Test
    @Case("secrets.escaped-forms")
    void aSecretPrintedThroughAnyTemplateEscapeIsMasked() {
        String password = " p&<'\"\\:=#!é/x";
        Masker masker = new Masker(List.of(password));
        // what a postcmd prints when it shows a rendered file: each escape a template may have used
        for (String shown : List.of(
                "<password>" + Escapes.xml(password) + "</password>",
                "<p>" + Escapes.html(password) + "</p>",
                "String pw = \"" + Escapes.java(password) + "\";",
                "var pw = '" + Escapes.javascript(password) + "';",
                "{\"password\": \"" + Escapes.json(password) + "\"}",
                "jdbc:x://db?password=" + Escapes.url(password),
                "ALTER USER app PASSWORD '" + Escapes.sql(password) + "';",
                Escapes.unicode(password),
                "db.password=" + Escapes.propertyValue(password),
                "user=" + Escapes.propertyValue("user:" + password),
                Escapes.propertyKey(password) + "=x")) {
            String masked = masker.mask(shown);
            assertThat(masked)
                    .as(shown)
                    .contains(Masker.MASK)
                    .doesNotContain("p&")
                    .doesNotContain("é/x");
        }
    }

    @Test
    void shortSecretsAddNoFragmentsThatWouldMaskOrdinaryText() {
        Masker masker = new Masker(List.of("abcd"));
        assertThat(masker.mask("Authorization: Basic dXNlcjphYmNk and more"))
                .isEqualTo("Authorization: Basic dXNlcjphYmNk and more");
        assertThat(masker.mask("the code abcd")).isEqualTo("the code ****");
    }
}

package io.facsimile.core.text;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The forms a secret value takes in a rendered file or in what a command prints. A template can write
 * it as is or through an escape ({@code $esc.xml}, {@code $esc.propertyValue}, {@code $fmt.json}, …),
 * alone or inside a longer escaped value; a command can also print it in Base64 (a basic-auth header).
 * The render makes a file holding any {@linkplain #written written} form owner-only; the masking of
 * diff and command output and the bundle's safety net look for every {@linkplain #shown shown} form.
 * For the 32 letters and digits of a default password every escape is the password itself.
 */
public final class SecretForms {

    /**
     * The escapes of {@code $esc} and {@code $fmt}, as {@link Escapes} computes them for both; made when a
     * secret first needs them (a default password never does), as are the escapers' tables.
     */
    private static final class Escaping {
        static final List<UnaryOperator<String>> ESCAPES = List.of(
                Escapes::java,
                Escapes::javascript,
                Escapes::json,
                Escapes::html,
                Escapes::xml,
                Escapes::url,
                Escapes::sql,
                Escapes::unicode,
                Escapes::propertyKey,
                Escapes::propertyValue,
                Escapes::velocity,
                // JSON as Jackson writes it ($fmt.json)
                text -> new String(JsonStringEncoder.getInstance().quoteAsString(text)),
                // JSON's two escapes alone ($fmt.yaml's double quotes)
                text -> text.replace("\\", "\\\\").replace("\"", "\\\""),
                // and as other JSON writers do, '/' escaped
                text -> text.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"),
                // XML with ' as a numeric reference
                text -> text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;")
                        .replace("'", "&#39;"));
    }

    /** Characters that no escape changes: a secret of these alone is written as it is by every one. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._*-]*");

    private SecretForms() {}

    /**
     * {@code secret} as a template can write it: as is, and through each escape both alone and after
     * other text (an escape may treat a value's first character apart, as a properties value does a
     * leading space).
     */
    public static Set<String> written(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        if (PLAIN.matcher(secret).matches()) {
            return forms;
        }
        for (UnaryOperator<String> escape : Escaping.ESCAPES) {
            forms.add(escape.apply(secret));
            String lead = escape.apply("a");
            forms.add(escape.apply("a" + secret).substring(lead.length()));
        }
        // an escape that drops what it cannot write (XML drops control characters) leaves a form that
        // would match ordinary text: no form is shorter than the secret
        forms.removeIf(form -> form.length() < secret.length());
        return forms;
    }

    /**
     * {@code secret} as a file or a command can show it: each {@linkplain #written written} form, and
     * Base64 in the standard and the URL-safe alphabet, unpadded (so it is also found where the padding
     * differs or the value runs on), alone and inside a longer encoded value at any alignment.
     */
    public static Set<String> shown(String secret) {
        Set<String> forms = written(secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        forms.addAll(Base64Fragments.of(secret));
        forms.remove("");
        return forms;
    }
}

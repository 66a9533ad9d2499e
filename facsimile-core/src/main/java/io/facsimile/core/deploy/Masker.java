package io.facsimile.core.deploy;

import io.facsimile.core.text.Base64Fragments;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces every known secret in a text with {@code ****}: postcmd output, diff text and error
 * messages pass through one of these before anyone sees them.
 */
public final class Masker {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private final List<String> secrets;

    /** A masker of the given secrets; empty and {@code null} values are ignored. */
    public Masker(Collection<String> secrets) {
        // Longest first, so that a secret containing another is masked whole.
        this.secrets = secrets.stream()
                .filter(Objects::nonNull)
                .filter(s -> !s.isEmpty())
                .flatMap(s -> forms(s).stream())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /**
     * A secret as a command or a diff may show it: as is, URL-encoded, in Base64 (a postcmd that
     * prints {@code base64} of a file, a basic-auth header) and escaped for JSON.
     */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new ArrayList<>(List.of(
                secret,
                URLEncoder.encode(secret, StandardCharsets.UTF_8),
                // unpadded, so it is also found where padding differs or the value runs on
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/")));
        // inside a longer encoded value (user:password of a basic-auth header), at any alignment
        forms.addAll(Base64Fragments.of(secret));
        return forms;
    }

    /** The text with every secret replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }
}

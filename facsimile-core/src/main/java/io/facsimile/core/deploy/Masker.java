package io.facsimile.core.deploy;

import io.facsimile.core.text.SecretForms;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces every known secret in a text with {@code ****}, in every form it may take there
 * ({@link SecretForms#shown}): postcmd output, diff text and error messages pass through one of these
 * before anyone sees them.
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
                .flatMap(s -> SecretForms.shown(s).stream())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
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

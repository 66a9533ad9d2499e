package io.facsimile.core.describe;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code describe} hides unless secrets are asked for: every value of the state (passwords) and,
 * in the definition, values whose key names a secret ({@code password}, {@code secret}, {@code token},
 * {@code passphrase}, {@code credential}), which often come from {@code ${env.…}}.
 */
final class SecretMask {

    /** How a hidden value is printed. */
    static final String MASK = "****";

    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(passw(or)?d|secret|token|passphrase|credential|private[_-]?key).*");

    private SecretMask() {}

    /** {@code true} when the last map key of a dotted path (list indexes skipped) names a secret. */
    static boolean isSecretPath(List<String> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            String step = path.get(i);
            if (!step.chars().allMatch(Character::isDigit)) {
                return SECRET_KEY.matcher(step).matches();
            }
        }
        return false;
    }
}

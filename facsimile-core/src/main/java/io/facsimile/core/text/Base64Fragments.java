package io.facsimile.core.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Where a secret shows in Base64 text that encodes more than the secret: a basic-auth header encodes
 * {@code user:password}, so the password's bytes start at any of the three places a byte can take in a
 * 3-byte group, and its Base64 characters differ for each. For each place, the characters that depend on
 * the secret's bytes alone (those that also hold bits of a byte before or after it are left out).
 */
public final class Base64Fragments {

    /** Fragments shorter than this are left out: they would match ordinary text. */
    static final int SHORTEST = 8;

    private Base64Fragments() {}

    /** The fragments of {@code secret} in the standard and the URL-safe alphabet, each at least {@value #SHORTEST} long. */
    public static List<String> of(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<String> fragments = new ArrayList<>();
        for (int before = 0; before < 3; before++) {
            byte[] shifted = new byte[before + bytes.length];
            System.arraycopy(bytes, 0, shifted, before, bytes.length);
            // the characters whose six bits all lie within the secret's bytes
            int from = (8 * before + 5) / 6;
            int to = 8 * shifted.length / 6;
            if (to - from < SHORTEST) {
                continue;
            }
            fragments.add(
                    Base64.getEncoder().withoutPadding().encodeToString(shifted).substring(from, to));
            fragments.add(Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(shifted)
                    .substring(from, to));
        }
        return fragments;
    }
}

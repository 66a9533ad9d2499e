package io.facsimile.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.facsimile.core.state.crypto.KeySource;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encrypted state format: every recipient opens it, nothing else does, and a changed value is refused. */
class EncryptedStateTest {

    @TempDir
    Path dir;

    private KeyPair alice;
    private KeyPair bob;
    private Path shared;

    @BeforeEach
    void keys() throws Exception {
        alice = new X25519KeyPairGenerator().generateKeyPair();
        bob = new X25519KeyPairGenerator().generateKeyPair();
        shared = dir.resolve("defs/state");
    }

    private static String publicKey(KeyPair pair) {
        return pair.getPublic().toString();
    }

    private static String identity(KeyPair pair) {
        return pair.getPrivate().toString();
    }

    private static KeySource ageKeys(KeyPair... pairs) {
        return KeySource.of(
                name -> Optional.empty(),
                java.util.Arrays.stream(pairs).map(EncryptedStateTest::identity).toList(),
                "test identities");
    }

    private static KeySource passphrase(String value) {
        return KeySource.of(
                name -> name.equals("team") ? Optional.of(value) : Optional.empty(), List.of(), "test passphrase");
    }

    private StateStore store(KeySource keys, String... recipients) {
        List<Recipient> parsed =
                java.util.Arrays.stream(recipients).map(Recipient::parse).toList();
        return new StateStore(dir.resolve("local"), new StateEncryption(shared, keys, parsed), dir.resolve("locks"));
    }

    /** Replaces the line of {@code proj0} in the state file with what {@code merge} makes of it, as a git merge may. */
    private void replaceTheLineOfProj0(UnaryOperator<String> merge) throws IOException {
        String text = Files.readString(file());
        String line =
                text.lines().filter(l -> l.contains("\"proj0\"")).findFirst().orElseThrow();
        Files.writeString(file(), text.replace(line, merge.apply(line)));
    }

    private Secret createWithTwoPasswords() {
        KeySource all =
                KeySource.of(name -> Optional.of("correct horse battery staple"), List.of(identity(alice)), "all");
        try (StateSession state =
                store(all, publicKey(alice), publicKey(bob), "passphrase:team").open("prod")) {
            Secret secret = state.password("proj0", SecretPolicy.defaults());
            state.password("proj1", SecretPolicy.defaults());
            state.serviceInstance("apid.0", "api");
            state.commit();
            return secret;
        }
    }

    private Path file() {
        return shared.resolve("prod.json");
    }

    @Test
    @io.facsimile.core.reliability.Case("state.changed-under-the-session")
    void twoBuildsWithTheirOwnLocalStateDirectoriesWaitForEachOtherAndKeepBothValues() throws Exception {
        // two modules of a reactor: each locks its own local state directory, both share <definitions>/state
        Path locks = dir.resolve("home/.facsimile/locks");
        List<Recipient> recipients = List.of(Recipient.parse(publicKey(alice)));
        StateStore moduleA =
                new StateStore(dir.resolve("a/local"), new StateEncryption(shared, ageKeys(alice), recipients), locks);
        StateStore moduleB =
                new StateStore(dir.resolve("b/local"), new StateEncryption(shared, ageKeys(alice), recipients), locks);
        try (StateSession state = moduleA.open("prod")) {
            state.password("first", SecretPolicy.defaults());
            state.commit();
        }
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Boolean> b;
            try (StateSession a = moduleA.open("prod")) {
                a.password("fromA", SecretPolicy.defaults());
                b = other.submit(() -> {
                    try (StateSession state = moduleB.open("prod")) {
                        state.password("fromB", SecretPolicy.defaults());
                        return state.commit();
                    }
                });
                Thread.sleep(300);
                assertThat(b)
                        .as("module B waits while module A holds the shared state")
                        .isNotDone();
                assertThat(a.commit()).isTrue();
            }
            assertThat(b.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            other.shutdownNow();
        }
        try (StateSession state = moduleA.peek("prod")) {
            assertThat(state.passwords()).containsKeys("first", "fromA", "fromB");
        }
        assertThat(Files.list(locks))
                .singleElement()
                .satisfies(lock -> assertThat(Files.getPosixFilePermissions(lock))
                        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }

    @Test
    void everyRecipientOpensItAndTheFileHoldsNoSecret() throws Exception {
        Secret secret = createWithTwoPasswords();
        String text = Files.readString(file());
        assertThat(text)
                .doesNotContain(secret.reveal())
                .contains("\"apid.0\"")
                .contains("tink:")
                .contains(publicKey(alice))
                .contains(publicKey(bob))
                .contains("passphrase:team");
        assertThat(Files.exists(dir.resolve("local/prod/state.json"))).isFalse();
        for (KeySource keys : List.of(ageKeys(alice), ageKeys(bob), passphrase("correct horse battery staple"))) {
            try (StateSession state = store(keys).peek("prod")) {
                assertThat(state.passwords().get("proj0")).isEqualTo(secret);
                assertThat(state.recipients())
                        .containsExactlyInAnyOrder(publicKey(alice), publicKey(bob), "passphrase:team");
            }
        }
    }

    @Test
    void aWrongOrMissingKeyNamesTheStateAndItsRecipientsAndRewritesNothing() throws Exception {
        Secret secret = createWithTwoPasswords();
        byte[] before = Files.readAllBytes(file());
        KeyPair mallory = new X25519KeyPairGenerator().generateKeyPair();
        for (KeySource keys : List.of(ageKeys(mallory), passphrase("wrong"), KeySource.none())) {
            assertThatThrownBy(() -> store(keys).open("prod"))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("Cannot open the encrypted state prod")
                    .hasMessageContaining(publicKey(alice))
                    .hasMessageContaining(publicKey(bob))
                    .hasMessageContaining("passphrase:team")
                    .hasMessageContaining("Nothing was written")
                    .hasMessageNotContaining(secret.reveal());
            assertThat(Files.readAllBytes(file())).isEqualTo(before);
        }
    }

    @Test
    void aTamperedValueIsRefused() throws Exception {
        createWithTwoPasswords();
        String text = Files.readString(file());
        int at = text.indexOf("\"proj0\": \"tink:") + 20;
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(file(), text.substring(0, at) + flipped + text.substring(at + 1));
        byte[] before = Files.readAllBytes(file());
        assertThatThrownBy(() -> store(ageKeys(alice)).open("prod"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("passwd.\"proj0\" does not decrypt");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aValueSwappedBetweenKeysIsRefused() throws Exception {
        createWithTwoPasswords();
        String text = Files.readString(file());
        String zero = value(text, "proj0");
        String one = value(text, "proj1");
        Files.writeString(file(), text.replace(zero, "SWAP").replace(one, zero).replace("SWAP", one));
        assertThatThrownBy(() -> store(ageKeys(alice)).open("prod"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("does not decrypt")
                .hasMessageContaining("copied from another key");
    }

    @Test
    void aRemovedRecipientNoLongerOpensItAndTheOthersStillDo() throws Exception {
        Secret secret = createWithTwoPasswords();
        try (StateSession state =
                store(passphrase("correct horse battery staple")).open("prod")) {
            state.changeRecipients(List.of(), List.of(Recipient.parse(publicKey(bob))));
            state.commit();
        }
        assertThat(Files.readString(file())).doesNotContain(publicKey(bob));
        assertThatThrownBy(() -> store(ageKeys(bob)).peek("prod")).hasMessageContaining("Cannot open");
        try (StateSession state = store(ageKeys(alice)).peek("prod")) {
            assertThat(state.passwords().get("proj0")).isEqualTo(secret);
        }
    }

    @Test
    @io.facsimile.core.reliability.Case("state.wrap-named-passphrase")
    void aPassphraseThatOnlyOpensStatesIsNeverUsedToWrapTheKeyForAPassphraseRecipient() throws Exception {
        createWithTwoPasswords();
        // alice opens it with her identity; the environment's passphrase, held under no name, is another one
        KeySource otherFallback = KeySource.of(
                name -> Optional.of("not the team's passphrase"),
                name -> Optional.empty(),
                List.of(identity(alice)),
                "env");
        removingBobFails(otherFallback)
                .hasMessageContaining("does not open that recipient's entry")
                .hasMessageContaining("would lock passphrase:team out");
        // a fallback that does open the entry is that recipient's passphrase (CI changing its own state)
        KeySource rightFallback = KeySource.of(
                name -> Optional.of("correct horse battery staple"), name -> Optional.empty(), List.of(), "env");
        try (StateSession state = store(rightFallback).open("prod")) {
            state.changeRecipients(List.of(), List.of(Recipient.parse(publicKey(bob))));
            state.commit();
        }
        try (StateSession state =
                store(passphrase("correct horse battery staple")).peek("prod")) {
            assertThat(state.passwords()).containsKey("proj0");
        }
    }

    @Test
    @io.facsimile.core.reliability.Case("state.wrap-named-passphrase")
    void aStalePassphraseHeldUnderTheRecipientsOwnNameIsNeverUsedToWrap() throws Exception {
        createWithTwoPasswords();
        // alice opens it with her identity; her settings.xml still holds an old passphrase for "team"
        KeySource stale = KeySource.of(
                name -> name.equals("team") ? Optional.of("last year's passphrase") : Optional.empty(),
                List.of(identity(alice)),
                "settings.xml servers");
        removingBobFails(stale)
                .hasMessageContaining("the passphrase held here under its name")
                .hasMessageContaining("would lock passphrase:team out")
                .hasMessageNotContaining("last year's passphrase");
    }

    /**
     * Asserts that removing bob, on a machine with {@code keys}, fails and leaves the state file as it was;
     * the caller checks the message.
     */
    private AbstractThrowableAssert<?, ? extends Throwable> removingBobFails(KeySource keys) throws IOException {
        String before = Files.readString(file());
        Throwable thrown;
        try (StateSession state = store(keys).open("prod")) {
            thrown = catchThrowable(() -> state.changeRecipients(List.of(), List.of(Recipient.parse(publicKey(bob)))));
        }
        assertThat(Files.readString(file()))
                .as("the state file, left as it was")
                .isEqualTo(before);
        return assertThat(thrown).isInstanceOf(StateException.class);
    }

    @Test
    @io.facsimile.core.reliability.Case("state.remove-unknown-recipient")
    void removingSomeoneWhoIsNotARecipientChangesNothingAndSaysSo() throws Exception {
        createWithTwoPasswords();
        String before = Files.readString(file());
        KeyPair mallory = new X25519KeyPairGenerator().generateKeyPair();
        try (StateSession state = store(ageKeys(alice)).open("prod")) {
            for (String notThere : List.of(publicKey(mallory), "passphrase:TEAM")) {
                assertThatThrownBy(() -> state.changeRecipients(List.of(), List.of(Recipient.parse(notThere))))
                        .isInstanceOf(StateException.class)
                        .hasMessageContaining("Cannot remove " + notThere + " from state prod")
                        .hasMessageContaining("not among its recipients")
                        .hasMessageContaining(publicKey(bob))
                        .hasMessageContaining("Nothing was changed");
            }
            assertThat(state.commit()).isFalse();
        }
        assertThat(Files.readString(file())).isEqualTo(before);
    }

    @Test
    @io.facsimile.core.reliability.Case("state.malformed-key-entry")
    void aTamperedEntryOrAMalformedIdentityIsOneFailedTryAndTheOtherKeysStillOpenIt() throws Exception {
        Secret secret = createWithTwoPasswords();
        // the team's entry's salt is no base64 any more; alice's identity still opens the state
        String text = Files.readString(file());
        Files.writeString(file(), text.replaceFirst("\"salt\"\\s*:\\s*\"", "\"salt\":\"..."));
        assertThat(Files.readString(file())).isNotEqualTo(text).contains("\"salt\":\"...");
        KeySource both = KeySource.of(
                name -> Optional.of("correct horse battery staple"), List.of(identity(alice)), "env and identity");
        try (StateSession state = store(both).peek("prod")) {
            assertThat(state.passwords().get("proj0")).isEqualTo(secret);
        }
        Files.writeString(file(), text);
        // a truncated identity line beside the right passphrase
        String truncated = identity(alice).substring(0, identity(alice).length() - 5);
        KeySource mistyped = KeySource.of(
                name -> Optional.of("correct horse battery staple"), List.of(truncated), "FACSIMILE_STATE_IDENTITY");
        try (StateSession state = store(mistyped).peek("prod")) {
            assertThat(state.passwords().get("proj0")).isEqualTo(secret);
        }
        KeySource onlyMistyped = KeySource.of(name -> Optional.empty(), List.of(truncated), "FACSIMILE_STATE_IDENTITY");
        assertThatThrownBy(() -> store(onlyMistyped).peek("prod"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("Cannot open the encrypted state prod")
                .hasMessageContaining("is not a whole AGE-SECRET-KEY-1… line")
                .hasMessageNotContaining(truncated.substring(15));
    }

    @Test
    @io.facsimile.core.reliability.Case("state.secret-key-as-recipient")
    void anAgeIdentityGivenAsARecipientIsRefusedWithoutQuotingIt() {
        String secretKey = identity(alice);
        assertThatThrownBy(() -> Recipient.parse(secretKey))
                .hasMessageContaining("age identity (AGE-SECRET-KEY-1…), a secret key")
                .hasMessageContaining("age-keygen -y")
                .hasMessageNotContaining(secretKey.substring("AGE-SECRET-KEY-1".length(), 20));
        assertThatThrownBy(() -> Recipient.parse(secretKey.toLowerCase(java.util.Locale.ROOT)))
                .hasMessageNotContaining(
                        secretKey.toLowerCase(java.util.Locale.ROOT).substring(16, 20));
    }

    @Test
    void anAddedRecipientOpensIt() throws Exception {
        Secret secret = createWithTwoPasswords();
        KeyPair carol = new X25519KeyPairGenerator().generateKeyPair();
        try (StateSession state = store(ageKeys(alice)).open("prod")) {
            state.changeRecipients(List.of(Recipient.parse(publicKey(carol))), List.of());
            state.commit();
        }
        try (StateSession state = store(ageKeys(carol)).peek("prod")) {
            assertThat(state.passwords().get("proj0")).isEqualTo(secret);
        }
    }

    @Test
    void aNewValueChangesOnlyItsOwnLineSoMergesArePerValue() throws Exception {
        createWithTwoPasswords();
        List<String> before = Files.readAllLines(file());
        try (StateSession state = store(ageKeys(alice)).open("prod")) {
            state.password("proj2", SecretPolicy.defaults());
            state.commit();
        }
        List<String> after = Files.readAllLines(file());
        assertThat(after)
                .containsAll(before.stream()
                        .filter(line -> !line.contains("\"proj1\""))
                        .toList());
        assertThat(after.size()).isEqualTo(before.size() + 1);
    }

    @Test
    void conflictMarkersAreRefusedNamingTheValueAndHowToChoose() throws Exception {
        createWithTwoPasswords();
        replaceTheLineOfProj0(
                line -> "<<<<<<< HEAD\n" + line + "\n=======\n" + line.replace("tink:", "tink:x") + "\n>>>>>>> theirs");
        assertThatThrownBy(() -> store(ageKeys(alice)).open("prod"))
                .hasMessageContaining("conflict markers")
                .hasMessageContaining("proj0")
                .hasMessageContaining("keep one side's value");
    }

    @Test
    void aKeyKeptTwiceByAMergeIsRefusedNamingIt() throws Exception {
        createWithTwoPasswords();
        replaceTheLineOfProj0(line -> line + "\n" + line);
        assertThatThrownBy(() -> store(ageKeys(alice)).open("prod"))
                .hasMessageContaining("repeats a key \"proj0\"")
                .hasMessageContaining("keep the value of one side");
    }

    @Test
    void retiredValuesAreKeptEncryptedAndAreSecretsToMask() throws Exception {
        Secret old = createWithTwoPasswords();
        Secret pruned;
        try (StateSession state = store(ageKeys(alice)).open("prod")) {
            pruned = state.passwords().get("proj1");
            assertThat(state.retire("proj0")).isTrue();
            Secret fresh = state.password("proj0", SecretPolicy.defaults());
            assertThat(fresh).isNotEqualTo(old);
            state.prune(Set.of("proj0"), Set.of("api"));
            state.commit();
        }
        assertThat(Files.readString(file()))
                .doesNotContain(old.reveal())
                .doesNotContain(pruned.reveal())
                .contains("\"retired\"");
        StateStore store = store(ageKeys(bob));
        assertThat(store.secrets("prod")).contains(old, pruned);
        try (StateSession state = store.peek("prod")) {
            assertThat(state.retired()).isEqualTo(Map.of("proj0", List.of(old), "proj1", List.of(pruned)));
        }
    }

    @Test
    void aPlaintextStateIsMigratedKeepingEveryValueAndABackup() throws Exception {
        Secret secret;
        try (StateSession state = new StateStore(dir.resolve("local")).open("prod")) {
            secret = state.password("proj0", SecretPolicy.defaults());
            state.serviceInstance("apid.0", "api");
            state.commit();
        }
        byte[] plain = Files.readAllBytes(dir.resolve("local/prod/state.json"));
        StateStore store = store(ageKeys(alice), publicKey(alice));
        store.encrypt("prod", List.of(Recipient.parse(publicKey(alice))));
        assertThat(Files.exists(dir.resolve("local/prod/state.json"))).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("local/prod/state.json.before-encrypt")))
                .isEqualTo(plain);
        assertThat(Files.readString(file(), StandardCharsets.UTF_8)).doesNotContain(secret.reveal());
        try (StateSession state = store.peek("prod")) {
            assertThat(state.passwords()).isEqualTo(Map.of("proj0", secret));
            assertThat(state.serviceInstances()).containsKey("apid.0");
        }
        assertThatThrownBy(() -> store.encrypt("prod", List.of(Recipient.parse(publicKey(alice)))))
                .hasMessageContaining("already encrypted");
    }

    private static String value(String text, String key) {
        String start = "\"" + key + "\": \"";
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf('"', from));
    }
}

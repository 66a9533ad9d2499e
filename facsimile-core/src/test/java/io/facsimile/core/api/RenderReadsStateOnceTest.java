package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.state.StateEncryption;
import io.facsimile.core.state.crypto.KeySource;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendering an instance reads its state once: the secrets to mask come from the session that resolved
 * it, not from a second read (which, for an encrypted state, unwrapped its key again: a second PBKDF2
 * for a passphrase recipient).
 */
class RenderReadsStateOnceTest {

    @TempDir
    Path basedir;

    @Test
    void renderingAnInstanceUnwrapsItsStateKeyOnce() throws Exception {
        ShopProject.write(basedir, "app: {port: 8080}");
        KeyPair key = new X25519KeyPairGenerator().generateKeyPair();
        AtomicInteger unwraps = new AtomicInteger();
        KeySource identity =
                KeySource.of(name -> Optional.empty(), List.of(key.getPrivate().toString()), "test");
        KeySource keys = new KeySource() {
            @Override
            public Optional<String> passphrase(String name) {
                return Optional.empty();
            }

            @Override
            public List<String> ageIdentities() {
                unwraps.incrementAndGet();
                return identity.ageIdentities();
            }

            @Override
            public String describe() {
                return "counting";
            }
        };
        StateEncryption encryption = new StateEncryption(
                null, keys, List.of(Recipient.parse(key.getPublic().toString())));
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        FacsimileConfig config = new FacsimileConfig(project, null, List.of(), null, null, encryption);
        new Facsimile(config, new RecordingReporter()).render("dev", NO_ARTIFACTS); // creates the encrypted state
        assertThat(basedir.resolve("src/main/facsimile/state/dev.json")).exists();
        Files.writeString(
                basedir.resolve("src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf"),
                "name=$instance.app.name\npassword=$module.shop.password\nport=$instance.app.port\n");

        unwraps.set(0);
        new Facsimile(config, new RecordingReporter()).render("dev", NO_ARTIFACTS);

        assertThat(Files.readString(basedir.resolve("target/facsimile/dev/_DEPLOY_/etc/app.conf")))
                .contains("port=8080");
        assertThat(unwraps).as("state reads of one render").hasValue(1);
    }
}

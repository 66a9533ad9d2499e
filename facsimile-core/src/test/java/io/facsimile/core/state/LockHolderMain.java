package io.facsimile.core.state;

import io.facsimile.core.state.secret.SecretPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link StateLockTest}: opens a state, stores a password for {@code child},
 * signals that it holds the lock by creating the marker file, and keeps the lock until the release
 * file appears (or 30 s pass). Exit code 0 on success.
 */
public final class LockHolderMain {

    private LockHolderMain() {}

    /**
     * Arguments: state directory, state name, marker file, release file.
     *
     * @param args the four paths/names above
     */
    public static void main(String[] args) throws Exception {
        Path stateDirectory = Path.of(args[0]);
        String stateName = args[1];
        Path marker = Path.of(args[2]);
        Path release = Path.of(args[3]);
        try (StateSession state = new StateStore(stateDirectory, Duration.ofSeconds(30)).open(stateName)) {
            state.password("child", SecretPolicy.defaults());
            state.commit();
            Files.writeString(marker, "locked", StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(release) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }
}

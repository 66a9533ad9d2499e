package io.facsimile.core.state;

import io.facsimile.core.state.secret.SecretPolicy;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Child JVM of {@link StateHardeningTest}. The first argument chooses what it does to the state
 * {@code args[2]} in the state directory {@code args[1]}:
 * <ul>
 *   <li>{@code loop}: adds password {@code k<n>} and commits, forever (until killed); prints {@code ready} after the first save
 *   <li>{@code shared <id> <rounds>}: per round opens the state, asks for {@code shared} and {@code c<id>-<round>},
 *       commits; prints {@code GENERATED} when it had to make {@code shared}, and its sha-256 at the end
 *   <li>{@code modes}: commits twice and prints the mode of every file of the state directory at each step
 *       of each save (temporary and backup files included)
 *   <li>{@code fill <count>}: adds {@code count} passwords and commits; exit 3 with the message on failure
 *   <li>{@code hold <marker>}: takes the lock, writes {@code marker}, and sleeps until killed
 * </ul>
 */
public final class StateChildMain {

    private StateChildMain() {}

    public static void main(String[] args) throws Exception {
        Path stateDirectory = Path.of(args[1]);
        String name = args[2];
        switch (args[0]) {
            case "loop" -> loop(stateDirectory, name);
            case "shared" -> shared(stateDirectory, name, args[3], Integer.parseInt(args[4]));
            case "modes" -> modes(stateDirectory, name);
            case "fill" -> fill(stateDirectory, name, Integer.parseInt(args[3]));
            case "hold" -> hold(stateDirectory, name, Path.of(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void loop(Path stateDirectory, String name) {
        StateStore store = new StateStore(stateDirectory, Duration.ofSeconds(30));
        boolean ready = false;
        while (true) {
            try (StateSession state = store.open(name)) {
                int n = (int) state.passwords().keySet().stream()
                        .filter(k -> k.startsWith("k"))
                        .count();
                state.password("k" + n, SecretPolicy.defaults());
                state.commit();
            }
            if (!ready) {
                // Only now: the classes are loaded, so the parent's kill lands in the save loop, not in start-up.
                System.out.println("ready");
                System.out.flush();
                ready = true;
            }
        }
    }

    private static void shared(Path stateDirectory, String name, String id, int rounds) throws Exception {
        StateStore store = new StateStore(stateDirectory, Duration.ofSeconds(60));
        String value = null;
        for (int i = 0; i < rounds; i++) {
            try (StateSession state = store.open(name)) {
                boolean before = state.isDirty();
                value = state.password("shared", SecretPolicy.defaults()).reveal();
                if (!before && state.isDirty()) {
                    System.out.println("GENERATED");
                }
                state.password("c" + id + "-" + i, SecretPolicy.defaults());
                state.commit();
            }
        }
        byte[] hash =
                MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        System.out.println("SHARED " + HexFormat.of().formatHex(hash));
    }

    private static void modes(Path stateDirectory, String name) throws IOException {
        StateStore store = new StateStore(
                stateDirectory, Duration.ofSeconds(30), step -> printModes(stateDirectory.resolve(name), step.name()));
        for (int i = 0; i < 2; i++) {
            try (StateSession state = store.open(name)) {
                state.password("p" + i, SecretPolicy.defaults());
                state.commit();
            }
        }
        printModes(stateDirectory.resolve(name), "END");
    }

    private static void printModes(Path directory, String step) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                System.out.println("MODE " + step + " " + file.getFileName() + " "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
        System.out.println(
                "MODE " + step + " . " + PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    }

    private static void fill(Path stateDirectory, String name, int count) {
        try (StateSession state = new StateStore(stateDirectory, Duration.ofSeconds(30)).open(name)) {
            for (int i = 0; i < count; i++) {
                state.password("fill" + i, SecretPolicy.defaults());
            }
            state.commit();
        } catch (StateException e) {
            System.out.println("FAILED " + e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause()));
            System.exit(3);
        }
    }

    private static void hold(Path stateDirectory, String name, Path marker) throws Exception {
        try (StateSession state = new StateStore(stateDirectory, Duration.ofSeconds(30)).open(name)) {
            state.password("holder", SecretPolicy.defaults());
            state.commit();
            Files.writeString(marker, "locked");
            Thread.sleep(120_000);
        }
    }
}

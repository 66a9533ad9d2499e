package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Runs one shell command on this machine in a working directory, output and error captured together. */
final class LocalCommand {

    private final Path dir;

    LocalCommand(Path dir) {
        this.dir = dir;
    }

    ExecResult run(String command) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> argv = windows ? List.of("cmd.exe", "/c", command) : List.of("sh", "-c", command);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(nullInput(windows)));
        try {
            Process process = pb.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new ExecResult(process.waitFor(), output);
        } catch (IOException e) {
            throw DeployException.io("cannot run postcmd in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while running a postcmd in " + dir, e, false);
        }
    }

    private static java.io.File nullInput(boolean windows) {
        return new java.io.File(windows ? "NUL" : "/dev/null");
    }
}

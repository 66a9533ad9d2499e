package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Runs one shell command on this machine in a working directory, output and error captured together. */
final class LocalCommand {

    private final Path dir;

    LocalCommand(Path dir) {
        this.dir = dir;
    }

    ExecResult run(String command) {
        return run(command, null);
    }

    /**
     * Runs the command, waiting at most {@code timeout} ({@code null}: no bound). A command still running
     * then is left running, its output so far returned; the caller ends it.
     */
    ExecResult run(String command, Duration timeout) {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> argv = windows ? List.of("cmd.exe", "/c", command) : List.of("sh", "-c", command);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(nullInput(windows)));
        try {
            Process process = pb.start();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            // Read on a thread of its own: a child that keeps the output open must not hold the wait.
            Thread reader = new Thread(() -> copy(process.getInputStream(), output), "facsimile-command-output");
            reader.setDaemon(true);
            reader.start();
            if (timeout == null) {
                process.waitFor();
            } else if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new ExecResult(-1, text(output), true);
            }
            reader.join(timeout == null ? 0 : Math.max(1, timeout.toMillis()));
            return new ExecResult(process.exitValue(), text(output));
        } catch (IOException e) {
            throw DeployException.io("cannot run postcmd in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeployException.broken("interrupted while running a postcmd in " + dir, e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The process ended or was left; what was read is kept.
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static java.io.File nullInput(boolean windows) {
        return new java.io.File(windows ? "NUL" : "/dev/null");
    }
}

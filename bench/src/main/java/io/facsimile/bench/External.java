package io.facsimile.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the peers (cp, tar, rsync, mvn) as child processes. */
final class External {

    private External() {}

    /** What a child process printed and how long it took. */
    record Result(double millis, String output) {}

    /** Runs {@code command} in {@code dir}; fails unless it exits with 0. */
    static Result run(Path dir, List<String> command) {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            double millis = Stats.millisSince(start);
            if (code != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + code + ":\n" + tail(output));
            }
            return new Result(millis, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Runs a shell command line. */
    static Result sh(Path dir, String script) {
        return run(dir, List.of("sh", "-c", script));
    }

    /** Whether {@code tool} is on the PATH. */
    static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool)
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        int from = Math.max(0, lines.length - 30);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}

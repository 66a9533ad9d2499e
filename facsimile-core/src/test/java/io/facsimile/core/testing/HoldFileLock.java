package io.facsimile.core.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Another build, as a process of its own: takes the OS lock of a file as Facsimile takes it
 * ({@link FileChannel#lock()}), writes a holder line into it, prints {@code HELD} and keeps the lock until
 * its input is closed.
 */
public final class HoldFileLock {

    private HoldFileLock() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((args[1] + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            System.out.println("HELD");
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the input closes
            }
        }
    }

    /** Starts the holder of {@code file} and waits until it holds the lock; close its input to let it go. */
    public static Process start(Path file, String holder) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldFileLock.class.getName(),
                        file.toString(),
                        holder)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        // the line it prints once it holds the lock, after whatever the VM may print before it
        java.io.BufferedReader out =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        while (line != null && !line.equals("HELD")) {
            line = out.readLine();
        }
        if (line == null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the lock holder did not start");
        }
        return p;
    }
}

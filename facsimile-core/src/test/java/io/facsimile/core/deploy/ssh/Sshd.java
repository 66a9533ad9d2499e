package io.facsimile.core.deploy.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real OpenSSH server for a test: its own config, host key and authorized key, listening on a free
 * port of 127.0.0.1 only, in the foreground ({@code -D}) so that it is stopped by its own pid.
 * Optionally in a private mount namespace where {@code mountPoint} is a bind mount of {@code source},
 * so that two servers on one machine have different files at the same path.
 */
final class Sshd implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");

    final Path dir;
    final String name;
    final int port;
    final Path hostKey;
    private Process process;

    private Sshd(Path dir, String name, int port, Path hostKey) {
        this.dir = dir;
        this.name = name;
        this.port = port;
        this.hostKey = hostKey;
    }

    static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    static boolean canUnshare() {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "true")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Generates an ECDSA key pair at {@code file} and {@code file.pub}. */
    static Path keygen(Path file) throws IOException, InterruptedException {
        return keygen(file, "ecdsa");
    }

    /** Generates a key pair of {@code type} (ecdsa, ed25519, rsa) at {@code file} and {@code file.pub}. */
    static Path keygen(Path file, String type) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
        return file;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a server with {@code hostKey}, authorizing {@code userKey.pub}, on a fresh port. */
    static Sshd start(Path dir, String name, Path hostKey, Path userKey) throws IOException, InterruptedException {
        return start(dir, name, hostKey, userKey, freePort(), null, null);
    }

    /** The same, in its own mount namespace where {@code mountPoint} shows {@code source}. */
    static Sshd start(Path dir, String name, Path hostKey, Path userKey, int port, Path source, Path mountPoint)
            throws IOException, InterruptedException {
        return start(dir, name, List.of(hostKey), userKey, port, source, mountPoint);
    }

    /** A server with several host keys; the first is the one {@link #knownHostsLine()} names. */
    static Sshd start(Path dir, String name, List<Path> hostKeys, Path userKey, int port, Path source, Path mountPoint)
            throws IOException, InterruptedException {
        return start(dir, name, hostKeys, userKey, port, source, mountPoint, List.of());
    }

    /** The same, with more lines of sshd_config ({@code LogLevel DEBUG1}, {@code AllowTcpForwarding no}). */
    static Sshd start(
            Path dir,
            String name,
            List<Path> hostKeys,
            Path userKey,
            int port,
            Path source,
            Path mountPoint,
            List<String> extraConfig)
            throws IOException, InterruptedException {
        Path hostKey = hostKeys.get(0);
        Path d = Files.createDirectories(dir.resolve("sshd-" + name));
        Files.copy(
                userKey.resolveSibling(userKey.getFileName() + ".pub"),
                d.resolve("authorized_keys"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path config = d.resolve("sshd_config");
        // The node's commands get a HOME of their own unless the test sets one: sshd runs them through
        // root's bash, which reads ~/.bashrc, and this build machine's runs pyenv, seconds per command.
        // OpenSSH honours only the first SetEnv line, so HOME joins a test's own.
        Path nodeHome = Files.createDirectories(d.resolve("home"));
        List<String> extra = new ArrayList<>(extraConfig);
        int setEnv = -1;
        for (int i = 0; i < extra.size(); i++) {
            if (extra.get(i).startsWith("SetEnv ") && setEnv < 0) {
                setEnv = i;
            }
        }
        if (setEnv < 0) {
            extra.add("SetEnv HOME=" + nodeHome);
        } else if (!extra.get(setEnv).contains(" HOME=")) {
            extra.set(setEnv, extra.get(setEnv) + " HOME=" + nodeHome);
        }
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        hostKeys.stream().map(k -> "HostKey " + k).collect(java.util.stream.Collectors.joining("\n")),
                        "PidFile " + d.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + d.resolve("authorized_keys"),
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "UsePAM no",
                        "StrictModes no",
                        "PermitRootLogin prohibit-password",
                        "Subsystem sftp internal-sftp",
                        String.join("\n", extra),
                        ""));
        Files.createDirectories(Path.of("/run/sshd"));
        String sshd = SSHD + " -D -f " + config + " -E " + d.resolve("sshd.log");
        List<String> argv = new ArrayList<>();
        if (source != null) {
            Files.createDirectories(source);
            Files.createDirectories(mountPoint);
            argv.addAll(List.of(
                    "unshare", "-m", "sh", "-c", "mount --bind '" + source + "' '" + mountPoint + "' && exec " + sshd));
        } else {
            argv.addAll(List.of("sh", "-c", "exec " + sshd));
        }
        Sshd server = new Sshd(d, name, port, hostKey);
        Files.deleteIfExists(d.resolve("sshd.pid")); // a server started here before: not this one
        server.process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(d.resolve("stdout.log").toFile())
                .start();
        server.awaitListening();
        return server;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd " + name + " exited with " + process.exitValue() + ": " + logs());
            }
            // sshd writes its pid file once its listening socket is bound. Not a probe connection: its
            // session process, forked after close() looked for the server's processes, outlived the
            // server and wrote to the log in the test's temporary directory while JUnit deleted it.
            Path pid = dir.resolve("sshd.pid");
            if (Files.isRegularFile(pid) && Files.size(pid) > 0) {
                return;
            }
            Thread.sleep(20);
        }
        close();
        throw new IOException("sshd " + name + " did not listen on 127.0.0.1:" + port + ": " + logs());
    }

    String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("stdout.log", "sshd.log")) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                b.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    /** Sends {@code signal} (STOP, CONT) to the server and every process it started: its sessions freeze or go on. */
    void signal(String signal) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("kill", "-s", signal));
        argv.add(String.valueOf(process.pid()));
        process.descendants().forEach(h -> argv.add(String.valueOf(h.pid())));
        new ProcessBuilder(argv).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
    }

    /** The {@code known_hosts} line for this server's host key. */
    String knownHostsLine() throws IOException {
        String[] pub = Files.readString(hostKey.resolveSibling(hostKey.getFileName() + ".pub"), StandardCharsets.UTF_8)
                .trim()
                .split(" ");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
    }

    /** The node spec as written in {@code deploy.nodes}. */
    String hostSpec() {
        return "127.0.0.1:" + port;
    }

    /**
     * Stops the server and its sessions: a session outlives the listener and keeps writing to the log in
     * the test's temporary directory, which then cannot be deleted.
     */
    /**
     * Drops every session as a node whose sshd loses its connections would (a crash of the session's
     * process, a network cut seen by the node): kills each process the server started, not the server,
     * which still takes new connections.
     */
    void dropSessions() throws InterruptedException {
        List<ProcessHandle> sessions = process.descendants().toList();
        sessions.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : sessions) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("a session of sshd did not end: " + p.pid(), e);
            }
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
            }
        }
    }
}

package io.facsimile.core.state;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds plaintext states that git would commit: a {@code state.json}, its backup or the plaintext
 * {@code state-encrypt} moved aside ({@code state.json.before-encrypt}) inside a git work tree that git
 * does not ignore.
 *
 * <p>When {@code git} is on the {@code PATH}, git itself decides ({@code git check-ignore -q}), so every
 * rule (global excludes, {@code .git/info/exclude}, negations) counts. Without git, the {@code .gitignore}
 * files from the work tree's root down to the state are read, and a state counts as ignored when a line
 * names one of its directories or the file (literally or as a glob, with or without slashes), the last
 * line that matches deciding, a negation ({@code !}) including it again; global excludes are not read, and
 * a negation counts even below an excluded directory (git would keep the file ignored), so the fallback
 * may warn where git would not, never the reverse for the rules users write.
 */
public final class GitExposure {

    private GitExposure() {}

    /** How long git may take to answer; then the {@code .gitignore} files are read instead. */
    private static final long GIT_SECONDS = 30;

    /** The plaintext state files below {@code stateDirectory} that a git work tree would commit. */
    public static List<Path> exposed(Path stateDirectory) {
        return inBackground(stateDirectory).join();
    }

    /**
     * As {@link #exposed}, with git asked on a thread of its own, so that a goal's own work does not wait
     * for a process to start: the state files are listed now (a state the goal writes later is not
     * reported, as before), and the answer completes within {@value #GIT_SECONDS} seconds, from git or
     * from the {@code .gitignore} files.
     */
    public static CompletableFuture<List<Path>> inBackground(Path stateDirectory) {
        Path directory = stateDirectory.toAbsolutePath().normalize();
        Path root = Files.isDirectory(directory) ? workTree(directory) : null;
        List<Path> files = root == null ? List.of() : stateFiles(directory);
        if (files.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<Path>> exposed = new CompletableFuture<>();
        Thread check = new Thread(
                () -> {
                    try {
                        Set<Path> ignored = ignored(root, files);
                        exposed.complete(files.stream()
                                .filter(file -> !ignored.contains(file))
                                .sorted()
                                .toList());
                    } catch (RuntimeException e) {
                        exposed.completeExceptionally(e);
                    }
                },
                "facsimile-git-check-ignore");
        check.setDaemon(true);
        check.start();
        return exposed;
    }

    /** The files of a state directory that hold its passwords in clear. */
    private static final List<String> PLAINTEXT =
            List.of(StateFiles.STATE_FILE, StateFiles.BACKUP_FILE, StateFiles.BEFORE_ENCRYPT_FILE);

    private static List<Path> stateFiles(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> states = Files.newDirectoryStream(directory)) {
            for (Path state : states) {
                // every file that holds the passwords in clear: the state, its backup, and what
                // state-encrypt moved aside (the encrypted state is elsewhere and safe to commit)
                for (String name : PLAINTEXT) {
                    Path file = state.resolve(name);
                    if (Files.isRegularFile(file)) {
                        files.add(file);
                    }
                }
            }
        } catch (IOException e) {
            // a state directory that cannot be listed holds nothing git could stage either
        }
        return files;
    }

    /** The nearest directory holding {@code .git} (a directory, or a file in a linked work tree), or {@code null}. */
    static Path workTree(Path directory) {
        for (Path dir = directory; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        return null;
    }

    /**
     * Which of {@code files} git ignores: one {@code git check-ignore} for all of them (a process per
     * state would cost every goal of a project with many instances a process start each).
     */
    static Set<Path> ignored(Path root, List<Path> files) {
        Path git = gitOnPath();
        if (git != null) {
            Set<Path> ignored = askGit(git, root, files);
            if (ignored != null) {
                return ignored;
            }
        }
        Set<Path> ignored = new HashSet<>();
        files.stream().filter(file -> ignoredByGitignore(root, file)).forEach(ignored::add);
        return ignored;
    }

    /**
     * What {@code git check-ignore} says, or {@code null} when it fails or takes longer than
     * {@value #GIT_SECONDS} seconds. Its output goes to a file, so that the wait has a limit whatever git
     * prints.
     */
    private static Set<Path> askGit(Path git, Path root, List<Path> files) {
        Path out = null;
        try {
            out = Files.createTempFile("facsimile-check-ignore", ".txt");
            List<String> command = new ArrayList<>(List.of(git.toString(), "-C", root.toString(), "check-ignore"));
            files.forEach(file -> command.add(root.relativize(file).toString()));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(GIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            int exit = process.exitValue();
            if (exit != 0 && exit != 1) {
                return null;
            }
            // git prints each ignored path as it was given
            Set<Path> ignored = new HashSet<>();
            Files.readString(out, StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isEmpty())
                    .forEach(line -> ignored.add(root.resolve(line)));
            return ignored;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file of a few paths left behind
                }
            }
        }
    }

    /** The fallback without git: see the class comment. */
    static boolean ignoredByGitignore(Path root, Path file) {
        Path relative = root.relativize(file);
        // as git: the last pattern that matches decides, a negation (!) including the file again; unlike
        // git, a negation includes it even below an excluded directory (a warning too many, never one less)
        boolean ignored = false;
        for (int depth = 0; depth < relative.getNameCount(); depth++) {
            Path dir = depth == 0 ? root : root.resolve(relative.subpath(0, depth));
            Path gitignore = dir.resolve(".gitignore");
            if (!Files.isRegularFile(gitignore)) {
                continue;
            }
            Path below = dir.relativize(file);
            try {
                for (String raw : Files.readAllLines(gitignore, StandardCharsets.UTF_8)) {
                    String line = raw.strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    boolean negated = line.startsWith("!");
                    if (matches(negated ? line.substring(1) : line, below)) {
                        ignored = !negated;
                    }
                }
            } catch (IOException e) {
                // an unreadable .gitignore ignores nothing
            }
        }
        return ignored;
    }

    private static boolean matches(String pattern, Path below) {
        boolean anchored = pattern.startsWith("/")
                || pattern.substring(0, pattern.length() - 1).contains("/");
        String glob = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
        if (glob.isEmpty()) {
            return false;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        for (int end = 1; end <= below.getNameCount(); end++) {
            if (matcher.matches(below.subpath(0, end))) {
                return true;
            }
            if (!anchored && matcher.matches(below.getName(end - 1))) {
                return true;
            }
        }
        return false;
    }

    private static Path gitOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "git");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

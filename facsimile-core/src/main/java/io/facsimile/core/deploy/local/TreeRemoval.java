package io.facsimile.core.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RecursiveAction;
import org.apache.commons.io.file.PathUtils;

/**
 * Removes a directory tree, never following a link: a link below it is removed, not what it points at.
 * Where the platform offers it (Linux), the tree is reached from the home one open directory at a time
 * ({@code openat} with {@code O_NOFOLLOW}) and each entry is removed relative to its open directory
 * ({@code unlinkat}), so no path is resolved again: a directory swapped for a link after the caller's
 * check, at any level from the home down, fails the removal instead of being entered. Directories are
 * emptied in parallel. An old release of 10,000 files goes in a fraction of the time a path-by-path walk
 * takes.
 */
final class TreeRemoval {

    private TreeRemoval() {}

    /**
     * Removes {@code relative}, a directory below {@code home} that is no link, with everything below it.
     *
     * @throws IOException also when a component of the path is a link or no directory by the time it is
     *     opened ({@code ELOOP}, {@link java.nio.file.NotDirectoryException}): nothing outside is touched
     */
    static void remove(Path home, Path relative) throws IOException {
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(home)) {
            if (!(top instanceof SecureDirectoryStream<Path> secure)) {
                PathUtils.deleteDirectory(home.resolve(relative));
                return;
            }
            SecureDirectoryStream<Path> parent = secure;
            for (int i = 0; i < relative.getNameCount() - 1; i++) {
                parent = parent.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
                opened.add(parent);
            }
            Path name = relative.getFileName();
            try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                new Emptying(dir).invoke();
            }
            parent.deleteDirectory(name);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (SecureDirectoryStream<Path> below : opened) {
                below.close();
            }
        }
    }

    /** Removes every entry of one open directory; its subdirectories are tasks of their own. */
    private static final class Emptying extends RecursiveAction {

        private final SecureDirectoryStream<Path> dir;

        Emptying(SecureDirectoryStream<Path> dir) {
            this.dir = dir;
        }

        @Override
        protected void compute() {
            try {
                // names first: entries are not removed while the directory is being read
                List<Path> names = new ArrayList<>();
                for (Path entry : dir) {
                    names.add(entry.getFileName());
                }
                List<Path> directories = new ArrayList<>();
                for (Path name : names) {
                    try {
                        boolean directory = dir.getFileAttributeView(
                                        name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .readAttributes()
                                .isDirectory();
                        if (directory) {
                            directories.add(name);
                        } else {
                            dir.deleteFile(name);
                        }
                    } catch (NoSuchFileException gone) {
                        // removed by someone else meanwhile: what was asked for
                    }
                }
                List<Emptying> tasks = new ArrayList<>();
                List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
                try {
                    for (Path name : directories) {
                        SecureDirectoryStream<Path> below = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                        opened.add(below);
                        tasks.add(new Emptying(below));
                    }
                    invokeAll(tasks);
                } finally {
                    for (SecureDirectoryStream<Path> below : opened) {
                        below.close();
                    }
                }
                for (Path name : directories) {
                    dir.deleteDirectory(name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

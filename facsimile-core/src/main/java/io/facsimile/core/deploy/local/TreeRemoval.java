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
 * Where the platform offers it (Linux), each entry is removed relative to its open directory
 * ({@code unlinkat}), so no path is resolved again and a directory swapped for a link while the tree is
 * removed is not entered; directories are emptied in parallel. An old release of 10,000 files goes in a
 * fraction of the time a path-by-path walk takes.
 */
final class TreeRemoval {

    private TreeRemoval() {}

    /** Removes {@code dir}, a directory that is no link, with everything below it. */
    static void remove(Path dir) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                PathUtils.deleteDirectory(dir);
                return;
            }
            new Emptying(secure).invoke();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.deleteIfExists(dir);
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

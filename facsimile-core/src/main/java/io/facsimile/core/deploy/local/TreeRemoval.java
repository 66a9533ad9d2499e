package io.facsimile.core.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Removes a directory tree, never following a link: a link below it is removed, not what it points at.
 * The tree is reached from the home one open directory at a time, each opened as {@link OpenTree} opens
 * one (checked with {@code lstat}, opened as {@code name/.}, compared with what {@code lstat} found), and
 * each entry is removed relative to its open directory ({@code unlinkat}), so no path is resolved again: a
 * directory swapped for a link or a FIFO after the caller's check, at any level from the home down, fails
 * the removal instead of being entered or blocking. Directories are emptied in parallel, each opened only
 * while its own task runs, so a wide tree holds a few directories open at a time, not all of them. An old
 * release of 10,000 files goes in a fraction of the time a path-by-path walk takes.
 */
final class TreeRemoval {

    private TreeRemoval() {}

    /**
     * Removes {@code relative}, a directory below {@code home} that is no link, with everything below it.
     *
     * @throws IOException also when a component of the path is a link or no directory by the time it is
     *     opened: nothing outside is touched
     */
    static void remove(Path home, Path relative) throws IOException {
        String rel = relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
        try (OpenTree tree = OpenTree.home(home, false);
                OpenTree.Dir parent = tree.dir(OpenTree.parentOf(rel), false)) {
            parent.removeTree(OpenTree.nameOf(rel));
        }
    }

    /** Removes the directory {@code name} of {@code parent} with everything below it; {@code shown} names it. */
    static void remove(SecureDirectoryStream<Path> parent, Path name, Path shown) throws IOException {
        ForkJoinPool pool = new ForkJoinPool(Parallel.THREADS);
        try {
            pool.invoke(new Emptying(parent, name, shown));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
        }
        parent.deleteDirectory(name);
    }

    /** Empties one directory: opened when the task runs, closed before it ends; its subdirectories are tasks. */
    private static final class Emptying extends RecursiveAction {

        private final SecureDirectoryStream<Path> parent;
        private final Path name;
        private final Path shown;

        Emptying(SecureDirectoryStream<Path> parent, Path name, Path shown) {
            this.parent = parent;
            this.name = name;
            this.shown = shown;
        }

        @Override
        protected void compute() {
            List<Path> directories = new ArrayList<>();
            try (SecureDirectoryStream<Path> dir = OpenTree.openChecked(parent, name, shown)) {
                // names first: entries are not removed while the directory is being read
                List<Path> names = new ArrayList<>();
                for (Path entry : dir) {
                    names.add(entry.getFileName());
                }
                for (Path entry : names) {
                    try {
                        boolean directory = dir.getFileAttributeView(
                                        entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .readAttributes()
                                .isDirectory();
                        if (directory) {
                            directories.add(entry);
                        } else {
                            dir.deleteFile(entry);
                        }
                    } catch (NoSuchFileException gone) {
                        // removed by someone else meanwhile: what was asked for
                    }
                }
                List<Emptying> tasks = new ArrayList<>();
                for (Path entry : directories) {
                    tasks.add(new Emptying(dir, entry, shown.resolve(entry)));
                }
                invokeAll(tasks);
                for (Path entry : directories) {
                    dir.deleteDirectory(entry);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

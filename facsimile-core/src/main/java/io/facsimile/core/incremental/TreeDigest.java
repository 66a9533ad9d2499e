package io.facsimile.core.incremental;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RecursiveTask;
import java.util.function.BiConsumer;

/**
 * A fingerprint of a directory tree's listing, taken without reading a file: every entry's name,
 * kind, size, modification time, permissions and link target, as {@link FileState} has them. Equal
 * digests mean the same entries with the same states; a file edited, touched, added, removed,
 * renamed or moved anywhere below changes it. The digest is a {@link Fingerprint#checksum()}: it
 * finds changes, it does not stand up to someone making one on purpose (who could rewrite the stamp
 * that holds it as well).
 *
 * <p>Made as a hash tree: each directory's digest covers its entries by name and the digests of its
 * subdirectories, which are listed in parallel. Nothing holds the paths of the whole tree, and no
 * byte of the digest depends on the order the directory returns its entries in.
 *
 * @param hex the digest, hex
 * @param newest the newest modification time of an entry below the directory (not of the directory
 *     itself), nanoseconds; 0 for none
 */
public record TreeDigest(String hex, long newest) {

    /** Not a directory, or nothing at all. */
    private static final TreeDigest MISSING =
            new TreeDigest(Fingerprint.checksum().add("missing", true).hex(), 0);

    /**
     * The digest of the tree below {@code dir}, links not followed, except {@code dir} itself when it
     * is one; one that no directory has when it is no directory.
     */
    public static TreeDigest of(Path dir) {
        return of(dir, null);
    }

    /**
     * As {@link #of(Path)}, handing each regular file it lists to {@code files} with its path relative to
     * {@code dir} ({@code /}-separated): one listing for the digest and for whoever needs the files' states.
     *
     * @param files called from several threads at once; {@code null} for none
     */
    public static TreeDigest of(Path dir, BiConsumer<String, FileState> files) {
        if (!Files.isDirectory(dir)) {
            return MISSING;
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            return new Digester(dir, "", posix, files).invoke();
        } catch (UncheckedIOException e) {
            throw IncrementalException.broken("cannot list " + dir, e.getCause());
        }
    }

    /** @param subdirectories the digests of the directories among {@code entries}, in their order */
    private static TreeDigest of(List<FileState> entries, List<TreeDigest> subdirectories) {
        Fingerprint fingerprint = Fingerprint.checksum().addListing("entries", entries);
        long newest = FileState.newest(entries);
        Iterator<TreeDigest> subdirectory = subdirectories.iterator();
        for (FileState entry : entries) {
            if (entry.kind().equals("d")) {
                TreeDigest below = subdirectory.next();
                fingerprint.add(entry.path(), below.hex());
                newest = Math.max(newest, below.newest());
            }
        }
        return new TreeDigest(fingerprint.hex(), newest);
    }

    /** Digests one directory once its subdirectories, tasks of their own, are digested. */
    private static final class Digester extends RecursiveTask<TreeDigest> {

        private final Path dir;
        private final String prefix;
        private final boolean posix;
        private final BiConsumer<String, FileState> files;

        Digester(Path dir, String prefix, boolean posix, BiConsumer<String, FileState> files) {
            this.dir = dir;
            this.prefix = prefix;
            this.posix = posix;
            this.files = files;
        }

        @Override
        protected TreeDigest compute() {
            List<FileState> entries = FileState.entries(dir, posix);
            List<Digester> subdirectories = new ArrayList<>();
            for (FileState entry : entries) {
                if (entry.kind().equals("d")) {
                    subdirectories.add(
                            new Digester(dir.resolve(entry.path()), prefix + entry.path() + "/", posix, files));
                } else if (files != null && entry.kind().equals("f")) {
                    files.accept(prefix + entry.path(), entry);
                }
            }
            invokeAll(subdirectories);
            List<TreeDigest> digests = new ArrayList<>(subdirectories.size());
            subdirectories.forEach(subdirectory -> digests.add(subdirectory.join()));
            return of(entries, digests);
        }
    }
}

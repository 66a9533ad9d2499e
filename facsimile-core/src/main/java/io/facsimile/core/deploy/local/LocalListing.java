package io.facsimile.core.deploy.local;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.FileStat;
import io.facsimile.core.deploy.FindListing;
import io.facsimile.core.release.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every entry below a directory of this machine with its {@link FileStat}, links listed and never entered:
 * by GNU find where there is one (the program that lists a node over SSH; in a fresh JVM it lists 10,000
 * files in about half the time {@code java.nio} takes), otherwise in Java. Both give the same listing,
 * times in nanoseconds, so a quick-check record made by one is read by the other.
 */
final class LocalListing {

    /** Whether GNU find listed a directory in this JVM; {@code null} until it was tried. */
    private static volatile Boolean findLists;

    /** The charset of file names as {@code java.nio} decodes them, so that a listed name is found again. */
    private static final Charset NAMES = namesCharset();

    private LocalListing() {}

    /** The listing of {@code root}, a directory that is no link. */
    static Map<String, FileStat> of(Path root) {
        return withFind(root).orElseGet(() -> inJava(root));
    }

    /**
     * The listing of {@code root} by {@code find -P}, or empty when there is no GNU find (BSD find has no
     * {@code -printf}; it is not tried again) or it failed (the Java listing then says why).
     */
    static Optional<Map<String, FileStat>> withFind(Path root) {
        if (Boolean.FALSE.equals(findLists)) {
            return Optional.empty();
        }
        try {
            Process find = new ProcessBuilder(
                            "find", "-P", root.toString(), "-mindepth", "1", "-printf", FindListing.FORMAT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            find.getOutputStream().close();
            byte[] output;
            try (InputStream in = find.getInputStream()) {
                output = in.readAllBytes();
            }
            if (find.waitFor() != 0) {
                findLists = Boolean.TRUE.equals(findLists); // a GNU find that failed once is tried again
                return Optional.empty();
            }
            Map<String, FileStat> entries = FindListing.parse(new String(output, NAMES), true);
            findLists = true;
            return Optional.of(entries);
        } catch (IOException | NumberFormatException e) {
            findLists = Boolean.TRUE.equals(findLists);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeployException.io("interrupted while listing " + root, new IOException(e));
        }
    }

    /**
     * One {@code lstat} per entry (the walk reads each directory and stats its entries itself, not a
     * second time through a file visitor), a level of directories at a time on a few threads, names
     * built by string, not by {@code Path.relativize}.
     */
    static Map<String, FileStat> inJava(Path root) {
        Map<String, FileStat> entries = new ConcurrentHashMap<>();
        List<String> level = List.of("");
        while (!level.isEmpty()) {
            List<String> next = Collections.synchronizedList(new ArrayList<>());
            Parallel.forEach(level, d -> next.addAll(listDirectory(root, d, entries)));
            level = next;
        }
        return new TreeMap<>(entries);
    }

    /**
     * Puts each entry of the directory {@code rel} below {@code root} into {@code entries}.
     *
     * @return the subdirectories (links are listed, never entered)
     */
    private static List<String> listDirectory(Path root, String rel, Map<String, FileStat> entries) {
        Path d = rel.isEmpty() ? root : root.resolve(rel);
        List<String> dirs = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(d)) {
            for (Path child : children) {
                String name = (rel.isEmpty() ? "" : rel + "/") + child.getFileName();
                FileStat s = stat(child);
                entries.put(name, s);
                if (s.isDirectory()) {
                    dirs.add(name);
                }
            }
        } catch (IOException e) {
            throw DeployException.io("cannot list " + d, e);
        }
        return dirs;
    }

    private static FileStat stat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(
                p,
                "unix:mode,ino,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink",
                LinkOption.NOFOLLOW_LINKS);
        String type = (Boolean) a.get("isRegularFile")
                ? "f"
                : (Boolean) a.get("isDirectory") ? "d" : (Boolean) a.get("isSymbolicLink") ? "l" : "o";
        return new FileStat(
                type,
                new FileMode((Integer) a.get("mode") & 07777).octal(),
                (Long) a.get("size"),
                Long.toString(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)),
                (Long) a.get("ino"));
    }

    private static Charset namesCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}

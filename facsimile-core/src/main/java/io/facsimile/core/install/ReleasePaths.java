package io.facsimile.core.install;

import io.facsimile.core.release.ReleaseDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Keeps every write inside the release dir: checks destination strings and the directories they pass through. */
final class ReleasePaths {

    /** Written by the bundle step after install; no group may produce it. */
    static final String MANIFEST = ReleaseDir.MANIFEST;

    private ReleasePaths() {}

    /**
     * A destination in canonical form ({@code a/b/c}), or an {@link InstallException} when it would leave
     * the release dir: absolute ({@code /x}, {@code //x}, {@code C:x}), with a {@code ..} segment, or
     * with a backslash (which is a separator on Windows, so {@code ..\x} would escape there).
     *
     * @param where what produced the destination, for the message
     */
    static String canonical(String destination, String where) {
        if (destination.isEmpty()
                || destination.startsWith("/")
                || hasDrive(destination)
                || destination.indexOf('\\') >= 0
                || destination.indexOf('\0') >= 0) {
            throw escape(destination, where);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : destination.split("/")) {
            if (segment.equals("..")) {
                throw escape(destination, where);
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new InstallException(where + ": destination \"" + destination + "\" names no file");
        }
        String canonical = String.join("/", segments);
        if (canonical.equals(MANIFEST)) {
            throw new InstallException(where + ": destination " + MANIFEST
                    + " is reserved for the manifest of the release; choose another name");
        }
        return canonical;
    }

    /**
     * Refuses a destination that would be written through a symbolic link inside the release dir
     * (a directory on the way, or the file itself), since the link could point anywhere.
     *
     * @return {@code true} when the whole destination exists, {@code false} when a part of it does not
     *     (nothing below that part can be a link)
     */
    static boolean checkNoSymlink(Path releaseDir, String destination, String where) {
        Path current = releaseDir;
        for (String segment : destination.split("/")) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                throw new InstallException(
                        where + ": destination \"" + destination + "\" passes through the symbolic link " + current
                                + " in the release dir; remove the link (mvn clean) and run again");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    /** The error for a destination that is a symbolic link in the release dir. */
    static InstallException symlinkAt(Path releaseDir, String destination, String where) {
        return new InstallException(where + ": destination \"" + destination + "\" passes through the symbolic link "
                + releaseDir.resolve(destination) + " in the release dir; remove the link (mvn clean) and run again");
    }

    /**
     * The real path of {@code path}'s nearest existing ancestor-or-self must lie inside the release dir,
     * whose real path ({@code releaseDir.toRealPath()}, computed once by the caller) is {@code realRelease}.
     */
    static void checkInside(Path releaseDir, Path realRelease, Path path, String destination) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.toRealPath().startsWith(realRelease)) {
            throw escape(destination, "release dir " + releaseDir);
        }
    }

    /**
     * Two destinations of which one lies below the other ({@code a/b} and {@code a/b/c}): the first
     * can then be neither a file nor a directory.
     *
     * @param file the destination that another one lies below
     * @param below that other destination
     */
    record Nested(String file, String below) {}

    /**
     * The first destination, in the set's order, that lies below another destination of the set,
     * with the topmost such other one; empty when none does.
     */
    static Optional<Nested> nested(Set<String> destinations) {
        for (String destination : destinations) {
            for (int slash = destination.indexOf('/'); slash > 0; slash = destination.indexOf('/', slash + 1)) {
                String parent = destination.substring(0, slash);
                if (destinations.contains(parent)) {
                    return Optional.of(new Nested(parent, destination));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code C:…}: a Windows drive, absolute there (checked by hand: this runs once per file of a render). */
    private static boolean hasDrive(String path) {
        if (path.length() < 2 || path.charAt(1) != ':') {
            return false;
        }
        char c = path.charAt(0);
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static InstallException escape(String destination, String where) {
        return new InstallException(where + ": destination \"" + destination
                + "\" leaves the release dir; use a relative path without .. or backslashes");
    }
}

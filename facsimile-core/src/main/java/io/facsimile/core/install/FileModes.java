package io.facsimile.core.install;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The modes an install group sets: {@code mode:} for every file of the group, {@code modes:} (glob of
 * the path in the release dir → mode) for some; a matching glob beats {@code mode:}, the first matching
 * glob wins, and a file neither sets keeps the permissions of its source less group and other write
 * ({@link #fromSource}).
 *
 * @param mode the mode of every file of the group, or {@code null}
 * @param globs the globs in the order written, each with its mode
 */
public record FileModes(Set<PosixFilePermission> mode, List<Glob> globs) {

    /** No mode set: every file keeps its source's permissions. */
    public static final FileModes NONE = new FileModes(null, List.of());

    private static final Pattern OCTAL = Pattern.compile("0?[0-7]{3}");

    /** One glob of {@code modes:} and its mode. */
    public record Glob(String glob, PathMatcher matcher, Set<PosixFilePermission> mode) {}

    public FileModes {
        mode = mode == null ? null : Set.copyOf(mode);
        globs = List.copyOf(globs);
    }

    /** The mode set for a destination (relative to the release dir, with {@code /}), or {@code null}. */
    public Set<PosixFilePermission> modeOf(String destination) {
        Path path = Path.of(destination);
        for (Glob glob : globs) {
            if (glob.matcher().matches(path)) {
                return glob.mode();
            }
        }
        return mode;
    }

    /**
     * Reads {@code mode} and {@code modes} of a group.
     *
     * @throws InstallException naming {@code where} and the key when a mode is not octal or a glob is invalid
     */
    static FileModes of(Map<?, ?> group, String where) {
        Set<PosixFilePermission> mode = group.containsKey("mode") ? octal(group.get("mode"), where + ": mode") : null;
        Object raw = group.get("modes");
        if (raw == null) {
            return mode == null ? NONE : new FileModes(mode, List.of());
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new InstallException(where + ": modes must be a map of glob to octal mode (\"etc/*.key\": \"0600\")");
        }
        List<Glob> globs = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String glob = String.valueOf(entry.getKey());
            PathMatcher matcher;
            try {
                matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                throw new InstallException(where + ": modes: \"" + glob + "\" is not a valid glob: " + e.getMessage());
            }
            globs.add(new Glob(glob, matcher, octal(entry.getValue(), where + ": modes \"" + glob + "\"")));
        }
        return new FileModes(mode, globs);
    }

    /** {@code "0640"} as permissions; a YAML number is refused, as 0640 unquoted reads as 416. */
    static Set<PosixFilePermission> octal(Object value, String where) {
        if (!(value instanceof String text) || !OCTAL.matcher(text).matches()) {
            throw new InstallException(where + " must be an octal mode in quotes, such as \"0640\", found "
                    + (value instanceof String ? "\"" + value + "\"" : String.valueOf(value)));
        }
        int bits = Integer.parseInt(text, 8);
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(order[i]);
            }
        }
        return permissions;
    }

    /**
     * The mode a file takes from its source when no group sets one: the source's permissions less group
     * and other write, as Maven's archivers normalise them. A checkout's modes come from the umask it was
     * made under (git records only the execute bit), so a developer with umask 002 would otherwise
     * render, bundle and deploy group-writable files, and a bundle that differs from one built under 022.
     *
     * @return {@code null} for {@code null} (no POSIX permissions)
     */
    public static Set<PosixFilePermission> fromSource(Set<PosixFilePermission> source) {
        if (source == null) {
            return null;
        }
        if (!source.contains(PosixFilePermission.GROUP_WRITE) && !source.contains(PosixFilePermission.OTHERS_WRITE)) {
            return source;
        }
        Set<PosixFilePermission> narrowed = EnumSet.copyOf(source);
        narrowed.remove(PosixFilePermission.GROUP_WRITE);
        narrowed.remove(PosixFilePermission.OTHERS_WRITE);
        return Set.copyOf(narrowed);
    }

    /**
     * The permissions of a file holding a state secret: those it would have, less every group and other
     * bit, so 0644 becomes 0600, 0755 becomes 0700 and an explicit 0400 stays 0400.
     */
    public static Set<PosixFilePermission> forSecret(Set<PosixFilePermission> permissions) {
        Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
        (permissions == null ? PosixFilePermissions.fromString("rw-r--r--") : permissions)
                .stream()
                        .filter(permission -> permission.name().startsWith("OWNER_"))
                        .forEach(owner::add);
        return owner;
    }
}

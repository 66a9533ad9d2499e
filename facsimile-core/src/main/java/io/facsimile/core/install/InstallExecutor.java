package io.facsimile.core.install;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.template.RenderModel;
import io.facsimile.core.template.TemplateContext;
import io.facsimile.core.template.TemplateEngine;
import io.facsimile.core.template.TemplateLimits;
import io.facsimile.core.text.SecretForms;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies an {@link InstallPlan} to its release dir.
 *
 * <p>Every template is rendered in memory first, so a template error leaves the previous release
 * dir exactly as it was. Every destination is checked again against the real release dir (no
 * {@code ..}, no symbolic link on the way) before the first write. A file that replaces another is
 * written to a temporary file next to it and renamed into place; a new file is created in place.
 * Files get the source's POSIX permissions (0644 for generated files); a file whose content and
 * permissions are already right is not rewritten, so an unchanged re-render touches nothing. Last, stale files (no longer produced) and empty directories
 * are removed; {@code manifest.json} at the top of the release dir is never touched.
 */
public final class InstallExecutor {

    private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private final Supplier<TemplateEngine> engine;
    private final TemplateLimits limits;
    private final SourceFiles sources;

    /**
     * An executor rendering with the given engine, reading templates through the run's source files.
     *
     * @param sources as given to the planner of the plans this executor applies
     */
    public InstallExecutor(TemplateEngine engine, SourceFiles sources) {
        this(() -> engine, engine.limits(), sources);
    }

    /**
     * An executor that asks for its engine only when a plan has a template to render: a plan of copies
     * alone never starts one.
     *
     * @param engine gives the run's engine, the same each time
     * @param limits the limits that engine renders with
     * @param sources as given to the planner of the plans this executor applies
     */
    public InstallExecutor(Supplier<TemplateEngine> engine, TemplateLimits limits, SourceFiles sources) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.sources = Objects.requireNonNull(sources, "sources");
    }

    /**
     * Renders every template of the plan in memory and reads the permissions of every source;
     * writes nothing. {@code validate} and {@code diff} can stop here.
     *
     * @throws io.facsimile.core.template.TemplateException for the first template that fails
     */
    public List<PreparedFile> prepare(InstallPlan plan, RenderModel model) {
        List<PreparedFile> files = new ArrayList<>();
        TemplateContext instanceContext = TemplateContext.of(model);
        long deadline = limits.deadline();
        for (InstallAction action : plan.actions()) {
            files.add(withPlannedMode(plan, prepare(action, model, instanceContext, deadline)));
        }
        return files;
    }

    /**
     * Renders every template of the plan in memory and returns every user error (template errors,
     * templates that are not UTF-8), not only the first, so {@code validate} can report them all.
     * Writes nothing.
     */
    public List<FacsimileException> check(InstallPlan plan, RenderModel model) {
        return check(plan, model, new ArrayList<>());
    }

    /**
     * As {@link #check(InstallPlan, RenderModel)}, also handing over every file that rendered, in
     * plan order, so a caller that goes on to inspect the outputs does not render them twice.
     *
     * @param prepared receives the files that rendered
     */
    public List<FacsimileException> check(InstallPlan plan, RenderModel model, List<PreparedFile> prepared) {
        List<FacsimileException> errors = new ArrayList<>();
        TemplateContext instanceContext = TemplateContext.of(model);
        long deadline = limits.deadline();
        for (InstallAction action : plan.actions()) {
            try {
                prepared.add(withPlannedMode(plan, prepare(action, model, instanceContext, deadline)));
            } catch (FacsimileException e) {
                if (!e.isUserError()) {
                    throw e;
                }
                errors.add(e);
            }
        }
        return errors;
    }

    /** The file with the mode its group set ({@code mode:}, {@code modes:}), which beats its source's. */
    private static PreparedFile withPlannedMode(InstallPlan plan, PreparedFile file) {
        Set<PosixFilePermission> mode = plan.modes().get(file.destination());
        return mode == null ? file : file.withPermissions(mode);
    }

    /**
     * The files with every one whose rendered content holds a secret, as is or through any escape a
     * template writes it with ({@link SecretForms#written}), made owner-only ({@link FileModes#forSecret}):
     * created so in the release dir and recorded so in the manifest, which the deploy applies on the node.
     * Copied files are not searched: no state value is in them.
     */
    public static List<PreparedFile> secretsOwnerOnly(List<PreparedFile> files, List<String> secrets) {
        List<byte[]> needles = secrets.stream()
                .filter(secret -> !secret.isEmpty())
                .flatMap(secret -> SecretForms.written(secret).stream())
                .distinct()
                .map(form -> form.getBytes(StandardCharsets.UTF_8))
                .toList();
        if (needles.isEmpty()) {
            return files;
        }
        // the needles by their first byte: each file is read once, whatever the number of secrets
        byte[][][] byFirst = new byte[256][][];
        for (byte[] needle : needles) {
            byte[][] same = byFirst[needle[0] & 0xff];
            byte[][] more = same == null ? new byte[1][] : Arrays.copyOf(same, same.length + 1);
            more[more.length - 1] = needle;
            byFirst[needle[0] & 0xff] = more;
        }
        List<PreparedFile> result = new ArrayList<>(files.size());
        for (PreparedFile file : files) {
            ByteBuffer content = file.contentBuffer();
            boolean secret = content != null && containsAny(content, byFirst);
            result.add(secret ? file.withPermissions(FileModes.forSecret(file.permissions())) : file);
        }
        return result;
    }

    private static boolean containsAny(ByteBuffer haystack, byte[][][] byFirst) {
        int limit = haystack.limit();
        for (int i = haystack.position(); i < limit; i++) {
            byte[][] candidates = byFirst[haystack.get(i) & 0xff];
            if (candidates != null) {
                for (byte[] needle : candidates) {
                    if (needle.length <= limit - i && startsWith(haystack, i, needle)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean startsWith(ByteBuffer haystack, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (haystack.get(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param instanceContext {@code TemplateContext.of(model)}, built once per plan: it is immutable
     * @param deadline the instance's {@link TemplateEngine#deadline()}, shared by all its templates
     */
    private PreparedFile prepare(
            InstallAction action, RenderModel model, TemplateContext instanceContext, long deadline) {
        if (action instanceof InstallAction.Render render) {
            String source = sources.text(render.template(), template -> readTemplate(render));
            TemplateContext context = render.moduleKey() == null
                    ? instanceContext
                    : TemplateContext.forModule(model, render.moduleKey(), render.serviceInstance());
            String output = engine.get().render(render.templateName(), source, context, deadline);
            return new PreparedFile(
                    render.destination(),
                    output.getBytes(StandardCharsets.UTF_8),
                    null,
                    FileModes.fromSource(sources.permissions(render.template())));
        }
        if (action instanceof InstallAction.Copy copy) {
            return new PreparedFile(
                    copy.destination(), null, copy.source(), FileModes.fromSource(sources.permissions(copy.source())));
        }
        InstallAction.Write write = (InstallAction.Write) action;
        return new PreparedFile(write.destination(), write.bytes(), null, null);
    }

    /**
     * Renders the plan, then writes it into its release dir (created when missing).
     *
     * @throws io.facsimile.core.template.TemplateException when a template fails; nothing is written then
     * @throws InstallException when a destination resolves outside the release dir (nothing is written
     *     then either) or the disk fails
     */
    public InstallSummary execute(InstallPlan plan, RenderModel model) {
        return write(plan.releaseDir(), prepare(plan, model));
    }

    /**
     * What the caller knows of the files already in a release dir without reading them: that the file
     * at a destination, with the given attributes (not following a link), holds what is to be written
     * there, e.g. because it is as the last rendering left it ({@code OutputRecord}).
     */
    @FunctionalInterface
    public interface Known {

        /** Knows nothing: every existing file is compared with what is to be written. */
        Known NOTHING = (destination, onDisk) -> false;

        boolean holds(String destination, BasicFileAttributes onDisk);
    }

    /** Writes prepared files into {@code releaseDir}, removing stale files; see {@link #execute}. */
    public InstallSummary write(Path releaseDir, List<PreparedFile> files) {
        return write(releaseDir, files, Known.NOTHING);
    }

    /**
     * As {@link #write(Path, List)}, not reading an existing file that {@code known} holds to be right.
     * Each existing file is looked at once ({@code lstat}): that one look refuses a link, finds a stale
     * directory in the way, and gives the size, time and permissions the comparison needs.
     */
    public InstallSummary write(Path releaseDir, List<PreparedFile> files, Known known) {
        return write(releaseDir, files, known, true);
    }

    /**
     * Writes {@code files} into the existing {@code releaseDir} as {@link #write(Path, List)} does, and
     * removes nothing else: the other files of the release stay as they are. For a release whose other
     * files are known to be right.
     */
    public InstallSummary replace(Path releaseDir, List<PreparedFile> files) {
        return write(releaseDir, files, Known.NOTHING, false);
    }

    private InstallSummary write(Path releaseDir, List<PreparedFile> files, Known known, boolean removeStale) {
        try {
            // A directory that is not there yet holds nothing to compare, replace or remove: the files
            // written into it skip those checks, which are most of the system calls of a full render.
            boolean freshRelease = !Files.exists(releaseDir, LinkOption.NOFOLLOW_LINKS);
            Files.createDirectories(releaseDir);
            Path realRelease = releaseDir.toRealPath();
            Set<String> produced = new LinkedHashSet<>();
            files.forEach(file -> produced.add(file.destination()));
            // Directories are checked once per run, not once per file: thousands of files share a few
            // directories, and each check costs several system calls.
            Set<String> checkedDirectories = new HashSet<>();
            Set<String> absentDirectories = new HashSet<>();
            boolean posixFileSystem =
                    releaseDir.getFileSystem().supportedFileAttributeViews().contains("posix");
            // destination → its attributes, or null when nothing is there; no key when it could not be looked at
            Map<String, BasicFileAttributes> onDisk = new HashMap<>();
            for (PreparedFile file : files) {
                String destination = file.destination();
                if (!ReleasePaths.canonical(destination, "release dir " + releaseDir)
                        .equals(destination)) {
                    throw new InstallException("release dir " + releaseDir + ": destination \"" + destination
                            + "\" is not in canonical form (a/b/c)");
                }
                String directory = directoryOf(destination);
                if (checkedDirectories.add(directory) && !directory.isEmpty()) {
                    ReleasePaths.checkNoSymlink(releaseDir, directory, "release dir " + releaseDir);
                    ReleasePaths.checkInside(releaseDir, realRelease, releaseDir.resolve(directory), destination);
                    if (freshRelease || !Files.exists(releaseDir.resolve(directory), LinkOption.NOFOLLOW_LINKS)) {
                        absentDirectories.add(directory);
                    }
                }
                // the file itself: no link (a checked directory keeps it inside the release dir)
                if (!absentDirectories.contains(directory)) {
                    look(releaseDir.resolve(destination), posixFileSystem, destination, onDisk);
                    BasicFileAttributes existing = onDisk.get(destination);
                    if (existing != null && existing.isSymbolicLink()) {
                        throw ReleasePaths.symlinkAt(releaseDir, destination, "release dir " + releaseDir);
                    }
                }
            }
            ReleasePaths.nested(produced).ifPresent(nested -> {
                throw new InstallException("release dir " + releaseDir + ": " + nested.file()
                        + " is both a file and the directory of " + nested.below());
            });
            List<String> written = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            Map<String, Boolean> readyDirectories = new HashMap<>();
            Set<Path> modedDirectories = new HashSet<>();
            DirectoryMode directoryMode = new DirectoryMode(releaseDir);
            Permissions permissions = new Permissions();
            for (PreparedFile file : files) {
                String directory = directoryOf(file.destination());
                boolean fresh = freshRelease || absentDirectories.contains(directory);
                Boolean posix = readyDirectories.get(directory);
                if (posix == null) {
                    // a stale file may stand where the directory goes, even when the directory is new
                    List<String> cleared = clearWayTo(releaseDir, file.destination(), produced);
                    if (!cleared.isEmpty()) {
                        onDisk.remove(file.destination()); // looked at again
                    }
                    removed.addAll(cleared);
                    Path parent = releaseDir.resolve(file.destination()).getParent();
                    Files.createDirectories(parent);
                    ReleasePaths.checkInside(releaseDir, realRelease, parent, file.destination());
                    posix = Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null;
                    if (posix) {
                        setDirectoryModes(releaseDir, parent, directoryMode, modedDirectories);
                    }
                    readyDirectories.put(directory, posix);
                } else if (!fresh && isDirectoryOrUnknown(onDisk, file.destination())) {
                    List<String> cleared = clearDirectoryAt(releaseDir, file.destination());
                    if (!cleared.isEmpty()) {
                        onDisk.put(file.destination(), null);
                    }
                    removed.addAll(cleared);
                }
                BasicFileAttributes existing;
                if (fresh) {
                    existing = null;
                } else if (onDisk.containsKey(file.destination())) {
                    existing = onDisk.get(file.destination());
                } else {
                    existing = attributes(releaseDir.resolve(file.destination()), posixFileSystem);
                }
                (writeOne(releaseDir, file, posix ? permissions : null, existing, known) ? written : unchanged)
                        .add(file.destination());
            }
            // stale files go last, so a failed write leaves extra files rather than missing ones
            if (!freshRelease && removeStale) {
                removed.addAll(removeStale(releaseDir, produced));
            }
            removed.sort(null);
            return new InstallSummary(written, unchanged, removed);
        } catch (IOException e) {
            throw InstallException.broken("cannot write the release dir " + releaseDir, e);
        }
    }

    /** Looks at a destination once, not following a link; no key when it cannot be looked at (e.g. ENOTDIR). */
    private static void look(Path target, boolean posix, String destination, Map<String, BasicFileAttributes> onDisk) {
        try {
            onDisk.put(destination, attributes(target, posix));
        } catch (IOException e) {
            // looked at again when written, after what stands in the way is cleared
        }
    }

    private static boolean isDirectoryOrUnknown(Map<String, BasicFileAttributes> onDisk, String destination) {
        if (!onDisk.containsKey(destination)) {
            return true;
        }
        BasicFileAttributes existing = onDisk.get(destination);
        return existing != null && existing.isDirectory();
    }

    /** {@code a/b} of {@code a/b/c}; empty for a file at the top. */
    private static String directoryOf(String destination) {
        int slash = destination.lastIndexOf('/');
        return slash < 0 ? "" : destination.substring(0, slash);
    }

    /**
     * Whether a file created with a set of permissions gets exactly those, or has them changed by the
     * umask (or a directory's default ACL) and needs a {@code chmod}: learnt from the first file
     * created with each set in each directory, so the other thousands of a render need no {@code chmod}.
     */
    private static final class Permissions {

        /**
         * equals and hashCode spelled out: the record's own bootstrap java.lang.runtime.ObjectMethods on
         * their first call, tens of milliseconds of a fresh JVM, and every render that writes a file asks.
         */
        private record Key(Path directory, Set<PosixFilePermission> permissions) {

            @Override
            public boolean equals(Object other) {
                return other instanceof Key key
                        && directory.equals(key.directory)
                        && permissions.equals(key.permissions);
            }

            @Override
            public int hashCode() {
                return 31 * directory.hashCode() + permissions.hashCode();
            }
        }

        private final Map<Key, Boolean> keptOnCreate = new HashMap<>();

        /** Gives {@code file}, just created with {@code permissions}, exactly those. */
        void apply(Path file, Set<PosixFilePermission> permissions) throws IOException {
            Key key = new Key(file.getParent(), permissions);
            Boolean kept = keptOnCreate.get(key);
            if (kept == null) {
                kept = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                        .equals(permissions);
                keptOnCreate.put(key, kept);
            }
            if (!kept) {
                Files.setPosixFilePermissions(file, permissions);
            }
        }
    }

    /**
     * Writes one file whose directory exists and has been checked.
     *
     * @param posix how permissions are applied, {@code null} where the file system has none
     * @param existing the attributes of what is at the destination (not following a link), {@code null}
     *     when nothing is there
     * @param known what the caller knows of existing files
     * @return {@code true} when the file was written or its permissions changed
     */
    private static boolean writeOne(
            Path releaseDir, PreparedFile file, Permissions posix, BasicFileAttributes existing, Known known)
            throws IOException {
        Path target = releaseDir.resolve(file.destination());
        Set<PosixFilePermission> permissions = file.permissions() == null ? DEFAULT_PERMISSIONS : file.permissions();
        if (existing == null) {
            // A new file is written in place: nobody can have read an older version of it, and a
            // partial file left by a crash differs from the rendering, so the next run rewrites it.
            // Created with its permissions (less the umask), so a secret is never more readable.
            try (var channel = posix != null
                    ? Files.newByteChannel(
                            target,
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(permissions))
                    : Files.newByteChannel(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (file.source() != null) {
                    try (var in = Files.newInputStream(file.source())) {
                        in.transferTo(java.nio.channels.Channels.newOutputStream(channel));
                    }
                } else {
                    ByteBuffer buffer = file.contentBuffer();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }
            if (posix != null) {
                posix.apply(target, permissions);
            }
            return true;
        }
        if (existing.isRegularFile()
                && (known.holds(file.destination(), existing) || sameContent(file, target, existing.size()))) {
            if (posix != null
                    && !(existing instanceof PosixFileAttributes onDisk
                                    ? onDisk.permissions()
                                    : Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS))
                            .equals(permissions)) {
                Files.setPosixFilePermissions(target, permissions);
                return true;
            }
            return false;
        }
        // An existing file is replaced by a rename, so a reader sees the old or the new content, never a mix.
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            if (file.source() != null) {
                Files.copy(file.source(), temporary, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try (var channel = Files.newByteChannel(
                        temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = file.contentBuffer();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }
            if (posix != null) {
                Files.setPosixFilePermissions(temporary, permissions);
            }
            move(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return true;
    }

    /**
     * Gives {@code directory} and each directory above it up to {@code releaseDir} the mode a directory
     * made now gets, less group and other write, as files from sources lose them
     * ({@link FileModes#fromSource}): a directory made under umask 002 is 0775, and its mode goes into the
     * bundle. A directory whose mode was changed since it was made ({@code chmod 700}) gets it back, as a
     * fresh rendering would make it. Each directory once per run.
     */
    private static void setDirectoryModes(Path releaseDir, Path directory, DirectoryMode mode, Set<Path> done)
            throws IOException {
        for (Path d = directory; d != null && d.startsWith(releaseDir) && done.add(d); d = d.getParent()) {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> wanted = FileModes.fromSource(mode.fresh(now));
            if (!wanted.equals(now)) {
                Files.setPosixFilePermissions(d, wanted);
            }
        }
    }

    /**
     * The mode a directory made by this process gets (its umask's), found once per run by making one beside
     * the release dir and removing it again; where that fails, a directory keeps its own mode.
     */
    private static final class DirectoryMode {

        private final Path releaseDir;
        private Set<PosixFilePermission> fresh;
        private boolean asked;

        DirectoryMode(Path releaseDir) {
            this.releaseDir = releaseDir;
        }

        /** The mode of a new directory, or {@code current} when it cannot be known. */
        Set<PosixFilePermission> fresh(Set<PosixFilePermission> current) {
            if (!asked) {
                asked = true;
                fresh = probe();
            }
            return fresh != null ? fresh : current;
        }

        private Set<PosixFilePermission> probe() {
            Path probe = releaseDir.resolveSibling(".facsimile-mode-" + releaseDir.getFileName() + "-"
                    + ProcessHandle.current().pid() + "-" + System.nanoTime());
            try {
                Files.createDirectory(probe);
                try {
                    return Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * The attributes of {@code path} itself (not following a link), with its permissions where the file
     * system has them, or {@code null} when nothing is there.
     */
    private static BasicFileAttributes attributes(Path path, boolean posix) throws IOException {
        try {
            return posix
                    ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static boolean sameContent(PreparedFile file, Path target, long size) throws IOException {
        if (file.source() != null) {
            return Files.mismatch(file.source(), target) == -1L;
        }
        ByteBuffer content = file.contentBuffer();
        return size == content.remaining()
                && ByteBuffer.wrap(Files.readAllBytes(target)).equals(content);
    }

    /** Renames {@code temporary} over {@code target}, atomically where the file system can. */
    static void move(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Removes what stands where a directory or the file must go: a stale file where the new plan
     * needs a directory ({@code a} then, {@code a/b} now), or a stale directory where it needs a file.
     */
    private static List<String> clearWayTo(Path releaseDir, String destination, Set<String> produced)
            throws IOException {
        List<String> removed = new ArrayList<>();
        Path current = releaseDir;
        String[] segments = destination.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            current = current.resolve(segments[i]);
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                String relative = String.join("/", Arrays.copyOfRange(segments, 0, i + 1));
                if (produced.contains(relative)) {
                    throw new InstallException("release dir " + releaseDir + ": " + relative
                            + " is both a file and the directory of " + destination);
                }
                Files.delete(current);
                removed.add(relative);
            }
        }
        removed.addAll(clearDirectoryAt(releaseDir, destination));
        return removed;
    }

    /** Removes a stale directory where the plan now needs the file {@code destination}. */
    private static List<String> clearDirectoryAt(Path releaseDir, String destination) throws IOException {
        Path target = releaseDir.resolve(destination);
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        Set<String> nothing = Set.of();
        removeStale(target, nothing, false).forEach(file -> removed.add(destination + "/" + file));
        Files.delete(target);
        return removed;
    }

    /**
     * Deletes what the release dir holds that the plan no longer produces: files, links and whole
     * directories. Only the directories the plan writes into are read, by name: an entry the plan produces
     * is not looked at again (10,000 files cost a few directory reads, not 10,000 {@code lstat}s); anything
     * else is stale, and a stale directory goes with everything below it, links removed, never followed.
     */
    private static List<String> removeStale(Path releaseDir, Set<String> produced) throws IOException {
        List<String> removed = new ArrayList<>();
        removeStaleIn(releaseDir, "", produced, Manifest.directoriesOf(produced), removed);
        removed.sort(null);
        return removed;
    }

    /** {@link #removeStale} for the directory {@code directory} of the release dir ({@code ""} for itself). */
    private static void removeStaleIn(
            Path releaseDir, String directory, Set<String> produced, Set<String> directories, List<String> removed)
            throws IOException {
        Path dir = directory.isEmpty() ? releaseDir : releaseDir.resolve(directory);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        for (String name : names) {
            String relative = directory.isEmpty() ? name : directory + "/" + name;
            if (produced.contains(relative) || directory.isEmpty() && name.equals(ReleasePaths.MANIFEST)) {
                continue;
            }
            Path stale = dir.resolve(name);
            // one lstat per directory, not per file: a link where a directory should be is never entered
            if (directories.contains(relative) && Files.isDirectory(stale, LinkOption.NOFOLLOW_LINKS)) {
                removeStaleIn(releaseDir, relative, produced, directories, removed);
                continue;
            }
            if (Files.isDirectory(stale, LinkOption.NOFOLLOW_LINKS)) {
                removeStale(stale, Set.of(), false).forEach(file -> removed.add(relative + "/" + file));
                Files.delete(stale);
            } else {
                Files.delete(stale);
                removed.add(relative);
            }
        }
    }

    /** @param root {@code true} for the release dir itself, whose {@code manifest.json} is kept */
    private static List<String> removeStale(Path releaseDir, Set<String> produced, boolean root) throws IOException {
        List<String> removed = new ArrayList<>();
        int rootLength = releaseDir.toString().length() + 1;
        Files.walkFileTree(releaseDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                // the walk hands out releaseDir.resolve(...): its text starts with the release dir's
                String relative = file.toString().substring(rootLength).replace('\\', '/');
                if (!produced.contains(relative) && !(root && relative.equals(ReleasePaths.MANIFEST))) {
                    Files.delete(file);
                    removed.add(relative);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (!dir.equals(releaseDir)) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(dir);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        removed.sort(null);
        return removed;
    }

    private static String readTemplate(InstallAction.Render render) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(render.template())))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InstallException(render.templateName() + ": not UTF-8 text; if it is a binary file, add its"
                    + " extension to the binary extensions so it is copied instead of rendered");
        } catch (IOException e) {
            throw InstallException.broken("cannot read template " + render.templateName(), e);
        }
    }
}

package io.facsimile.core.install;

import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.release.EntryNames;
import io.facsimile.core.release.ReleaseDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns install groups into an {@link InstallPlan} without writing anything: it lists source
 * directories and checks links, and refuses every destination that would leave the release dir
 * before the executor writes a single file.
 *
 * <p>Selection for instance {@code a.b}: below a template directory, {@code _ALL_}, {@code _MODULE_},
 * {@code a}, {@code b}, {@code a.b} in that order; a later file with the same destination replaces
 * an earlier one, so instance-specific files win over generic ones. {@code _MODULE_} templates are
 * produced once per module with {@code genconfig: true} (modules in key order), and once per service
 * instance when the module has more than one; {@code __module__} and {@code __config__} in file and
 * directory names become the module key and the service instance's {@code config_name} (or the
 * module key). Last, {@code _DEPLOY_/etc/<projectName>.version} holds the version.
 */
public final class InstallPlanner {

    /** Templates rendered for every instance. */
    public static final String ALL = "_ALL_";
    /** Templates rendered once per module with {@code genconfig: true}. */
    public static final String MODULE = "_MODULE_";

    private static final String DEPLOY = ReleaseDir.DEPLOY_TREE;
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:[/\\\\].*");

    private final InstallInputs in;
    private final Map<String, InstallAction> actions = new LinkedHashMap<>();
    private final Map<String, Set<PosixFilePermission>> modes = new HashMap<>();
    /** See {@link InstallPlan#looked}. */
    private final Set<Path> looked = new LinkedHashSet<>();
    /** The modes of the group being planned. */
    private FileModes groupModes = FileModes.NONE;
    /** Directories of the release dir already checked for links, so each is checked once, not once per file. */
    private final Set<String> checkedDirectories = new HashSet<>();

    private InstallPlanner(InstallInputs inputs) {
        this.in = inputs;
    }

    /**
     * Plans the install of the groups, in order.
     *
     * @throws InstallException when a group names a missing file or directory, or a destination would
     *     leave the release dir (through {@code ..}, an absolute path, a backslash or a symbolic link), or a
     *     source found in the definitions directory is a link pointing outside it
     */
    public static InstallPlan plan(List<InstallGroup> groups, InstallInputs inputs) {
        InstallPlanner planner = new InstallPlanner(inputs);
        for (InstallGroup group : groups) {
            if (!group.appliesTo(inputs.os())) {
                continue;
            }
            planner.groupModes = group.modes();
            if (group instanceof InstallGroup.Templates templates) {
                planner.templates(templates);
            } else if (group instanceof InstallGroup.Copy copy) {
                planner.copy(copy);
            } else if (group instanceof InstallGroup.Artifact artifact) {
                planner.artifact(artifact);
            }
        }
        planner.groupModes = FileModes.NONE;
        planner.add(
                DEPLOY + "/etc/" + inputs.projectName() + ".version",
                at -> new InstallAction.Write(at, inputs.version() + "\n"),
                "the version file of project " + inputs.projectName());
        planner.checkNoFileIsADirectory();
        return new InstallPlan(
                inputs.releaseDir(),
                new ArrayList<>(planner.actions.values()),
                planner.modes,
                new ArrayList<>(planner.looked));
    }

    /** The selection directories of an instance: {@code _ALL_}, each segment, then the instance itself. */
    public static List<String> selectionDirs(String instance) {
        LinkedHashSet<String> dirs = new LinkedHashSet<>();
        dirs.add(ALL);
        dirs.addAll(List.of(instance.split("\\.")));
        dirs.add(instance);
        return List.copyOf(dirs);
    }

    private void templates(InstallGroup.Templates group) {
        String where = "install.groups[" + group.index() + "] (tmpl " + group.dir() + ")";
        Path base = source(group.dir(), where);
        looked.add(base);
        if (!Files.isDirectory(base)) {
            if (group.dirRequired()) {
                throw new InstallException(where + ": directory " + base + " does not exist");
            }
            return;
        }
        List<String> dirs = new ArrayList<>(selectionDirs(in.instance()));
        dirs.add(1, MODULE);
        for (String selected : dirs) {
            Path dir = base.resolve(selected);
            looked.add(dir);
            // names relative to the definitions directory, as errors show them: the directory's part once
            String inDefinitions = dir.startsWith(in.definitionsDir())
                    ? slashes(in.definitionsDir().relativize(dir))
                    : null;
            for (SourceFiles.Walked walked : files(dir, where)) {
                Path file = walked.path();
                if (group.skip() != null && skipped(group.skip(), walked.relative())) {
                    continue;
                }
                String relative = walked.relative();
                String templateName = inDefinitions == null
                        ? slashes(file)
                        : inDefinitions.isEmpty() ? relative : inDefinitions + "/" + relative;
                if (selected.equals(MODULE)) {
                    for (ModuleTarget target : moduleTargets()) {
                        String destination =
                                relative.replace("__module__", target.key()).replace("__config__", target.config());
                        addTemplate(file, templateName, destination, target.key(), target.serviceInstance());
                    }
                } else {
                    addTemplate(file, templateName, relative, null, null);
                }
            }
        }
    }

    /** {@code true} when {@code skip} finds a directory or the file name of {@code relative}: {@code ^\.} skips {@code .svn/}. */
    private static boolean skipped(Pattern skip, String relative) {
        for (String name : relative.split("/")) {
            if (skip.matcher(name).find()) {
                return true;
            }
        }
        return false;
    }

    private void addTemplate(
            Path file, String templateName, String destination, String moduleKey, Map<String, Object> serviceInstance) {
        if (in.isBinary(file.getFileName().toString())) {
            add(destination, at -> new InstallAction.Copy(file, at), templateName);
        } else {
            add(
                    destination,
                    at -> new InstallAction.Render(file, templateName, at, moduleKey, serviceInstance),
                    templateName);
        }
    }

    private void copy(InstallGroup.Copy group) {
        String where = "install.groups[" + group.index() + "] (copy)";
        for (String file : group.files()) {
            copyFile(group, file, true, where);
        }
        for (String file : group.optfiles()) {
            copyFile(group, file, false, where);
        }
        if (group.dir() == null) {
            return;
        }
        Path base = source(group.dir(), where);
        looked.add(base);
        if (!Files.isDirectory(base)) {
            if (group.dirRequired()) {
                throw new InstallException(where + ": directory " + group.dir() + " does not exist (" + base + ")");
            }
            return;
        }
        if (base.equals(in.definitionsDir().resolve(InstallGroup.Copy.SELECTED_DIR))) {
            for (String selected : selectionDirs(in.instance())) {
                Path dir = base.resolve(selected);
                looked.add(dir);
                for (SourceFiles.Walked file : files(dir, where)) {
                    add(rewrite(group, file.relative(), where), at -> new InstallAction.Copy(file.path(), at), where);
                }
            }
            return;
        }
        String prefix = deployPrefix(group.to(), where);
        for (SourceFiles.Walked file : files(base, where)) {
            add(
                    prefix + "/" + rewrite(group, file.relative(), where),
                    at -> new InstallAction.Copy(file.path(), at),
                    where);
        }
    }

    private void copyFile(InstallGroup.Copy group, String spec, boolean required, String where) {
        String path = in.tokens().replace(spec);
        boolean absolute = isAbsolute(path);
        Path file = source(spec, where);
        if (Files.isDirectory(file)) {
            throw new InstallException(where + ": \"" + spec + "\" is a directory; copy directories with dir:");
        }
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new InstallException(where + ": file \"" + spec + "\" does not exist (" + file
                        + "); list it under optfiles if it may be absent");
            }
            looked.add(file);
            return;
        }
        if (!absolute) {
            checkLinkInside(file, in.definitionsDir(), where);
        }
        String name = absolute
                ? (group.pattern() == null ? file.getFileName().toString() : slashes(file))
                : slashes(in.definitionsDir().relativize(file));
        add(
                deployPrefix(group.to(), where) + "/" + rewrite(group, name, where),
                at -> new InstallAction.Copy(file, at),
                where);
    }

    private void artifact(InstallGroup.Artifact group) {
        String where = "install.groups[" + group.index() + "] (artifact " + group.artifact() + ")";
        Path file;
        try {
            file = in.artifacts().resolve(group.artifact());
        } catch (InstallException e) {
            // the resolver knows the coordinates; the user needs the group that asked for them
            throw e.isUserError() && !e.getMessage().startsWith("install.groups")
                    ? InstallException.userError(where + ": " + e.getMessage())
                    : e;
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new InstallException(where + ": the artifact has no file" + (file == null ? "" : " at " + file)
                    + "; build or resolve it before this goal runs");
        }
        String to = group.to();
        String destination = to.isEmpty() || to.endsWith("/")
                ? deployPrefix(to, where) + "/" + file.getFileName()
                : deployPrefix(to, where);
        add(destination, at -> new InstallAction.Copy(file, at), where);
    }

    /**
     * Adds the action that produces {@code planned}, made for its canonical form.
     *
     * @param action makes the action for the canonical destination
     */
    private void add(String planned, Function<String, InstallAction> action, String where) {
        String destination = ReleasePaths.canonical(planned, where);
        int slash = destination.lastIndexOf('/');
        String directory = slash < 0 ? "" : destination.substring(0, slash);
        // each directory once; a link at the file itself is the executor's to refuse, in the one look it
        // takes at every destination before it writes anything
        if (slash >= 0 && checkedDirectories.add(directory)) {
            ReleasePaths.checkNoSymlink(in.releaseDir(), directory, where);
        }
        InstallAction canonical = action.apply(destination);
        // the group that produces a destination last sets its mode, as it sets its content
        Set<PosixFilePermission> mode = groupModes.modeOf(destination);
        if (mode == null) {
            modes.remove(destination);
        } else {
            modes.put(destination, mode);
        }
        // remove first so the replacing action also takes the later place in the plan
        actions.remove(destination);
        actions.put(destination, canonical);
    }

    /** Refuses a plan producing both {@code a/b} and {@code a/b/c}: {@code a/b} cannot be a file and a directory. */
    private void checkNoFileIsADirectory() {
        ReleasePaths.nested(actions.keySet()).ifPresent(nested -> {
            throw new InstallException("install groups produce both the file " + nested.file() + " and the file "
                    + nested.below() + " below it; rename one of them");
        });
    }

    /** A source path: tokens replaced, relative paths against the definitions directory. */
    private Path source(String spec, String where) {
        String path = in.tokens().replace(spec);
        if (path.indexOf('\0') >= 0) {
            throw new InstallException(where + ": invalid path \"" + spec + "\"");
        }
        Path resolved = isAbsolute(path) ? Path.of(path) : in.definitionsDir().resolve(path);
        return resolved.toAbsolutePath().normalize();
    }

    /** The destination prefix of {@code to}: below the deploy tree, or an absolute path inside the release dir. */
    private String deployPrefix(String to, String where) {
        String path = in.tokens().replace(to);
        if (path.isEmpty()) {
            return DEPLOY;
        }
        if (isAbsolute(path)) {
            Path absolute = Path.of(path).normalize();
            if (!absolute.startsWith(in.releaseDir()) || absolute.equals(in.releaseDir())) {
                throw new InstallException(where + ": destination \"" + to
                        + "\" leaves the release dir; use a path relative to the deploy tree or $DEPLOY_DIR$/…");
            }
            return slashes(in.releaseDir().relativize(absolute));
        }
        return DEPLOY + "/" + path;
    }

    private String rewrite(InstallGroup.Copy group, String name, String where) {
        if (group.pattern() == null) {
            return name;
        }
        String regex = in.tokens().replaceInRegex(group.pattern().pattern());
        Pattern pattern = regex.equals(group.pattern().pattern()) ? group.pattern() : Pattern.compile(regex);
        // the original tool's Python replacements name groups \1; Java's name them $1
        String replace = group.replace() == null ? "" : group.replace().replaceAll("\\\\(\\d)", "\\$$1");
        try {
            return pattern.matcher(name).replaceAll(replace);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InstallException(where + ": replace \"" + group.replace() + "\" does not fit pattern \""
                    + group.pattern() + "\": " + e.getMessage());
        }
    }

    /**
     * Regular files below {@code dir}, sorted by relative path; links must stay inside the definitions
     * directory. Walked once per run, however many instances select the directory.
     */
    private List<SourceFiles.Walked> files(Path dir, String where) {
        return in.sources().files(dir, d -> walk(d, where));
    }

    private List<SourceFiles.Walked> walk(Path dir, String where) {
        Optional<List<SourceFiles.Walked>> listed = in.sources().listedFiles(dir);
        if (listed.isPresent()) {
            return listed.get(); // plain files and directories only, inside the definitions directory
        }
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Path allowed = dir.startsWith(in.definitionsDir()) ? in.definitionsDir() : dir;
        List<SourceFiles.Walked> walked;
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            // the relative name is the sort key: computed once per file, not once per comparison
            walked = walk.filter(path -> sourceFile(path, where))
                    .map(path -> new SourceFiles.Walked(path, slashes(dir.relativize(path))))
                    .sorted(Comparator.comparing(SourceFiles.Walked::relative))
                    .toList();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw new InstallException(where + ": symbolic links form a loop at " + loop.getFile());
            }
            throw InstallException.broken("cannot list " + dir, e.getCause());
        } catch (IOException e) {
            throw InstallException.broken("cannot list " + dir, e);
        }
        Path allowedReal = realPath(allowed);
        // a file that is not itself a link lies where its directory really is: one realpath per directory
        Map<Path, Path> realDirectories = new HashMap<>();
        for (SourceFiles.Walked entry : walked) {
            Path file = entry.path();
            Path real = Files.isSymbolicLink(file)
                    ? realPath(file)
                    : realDirectories
                            .computeIfAbsent(file.getParent(), InstallPlanner::realPath)
                            .resolve(file.getFileName());
            checkLinkInside(file, real, allowed, allowedReal, where);
        }
        return walked;
    }

    /**
     * {@code true} for a regular file (or a link to one) of a walked source directory, {@code false}
     * for a directory; anything else (a FIFO, socket or device, a dangling link) and a name holding a
     * control character is refused naming it, so no file of the definitions is dropped silently.
     */
    private boolean sourceFile(Path path, String where) {
        String name =
                (path.startsWith(in.definitionsDir()) ? in.definitionsDir().relativize(path) : path).toString();
        if (name.chars().anyMatch(EntryNames::isHidden)) {
            throw new InstallException(
                    where + ": the file name \"" + escaped(name) + "\" holds a control character; rename it");
        }
        if (Files.isRegularFile(path) || Files.isDirectory(path)) {
            return Files.isRegularFile(path);
        }
        if (Files.isSymbolicLink(path)) {
            throw new InstallException(where + ": " + name + " is a link to nothing (dangling); remove it or"
                    + " restore what it points at");
        }
        throw new InstallException(where + ": " + name + " is not a regular file (a FIFO, socket or device);"
                + " only regular files and directories can be rendered or copied: remove it");
    }

    /**
     * A name with each control character written as {@code \n}, {@code \t} or {@code \u0007}, and each
     * bidirectional control as {@code \u202e}.
     */
    static String escaped(String name) {
        StringBuilder out = new StringBuilder();
        name.chars()
                .forEach(c -> out.append(
                        switch (c) {
                            case '\n' -> "\\n";
                            case '\t' -> "\\t";
                            case '\r' -> "\\r";
                            default -> EntryNames.isHidden(c) ? String.format("\\u%04x", c) : String.valueOf((char) c);
                        }));
        return out.toString();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw InstallException.broken("cannot resolve " + path, e);
        }
    }

    private static void checkLinkInside(Path file, Path allowed, String where) {
        checkLinkInside(file, realPath(file), allowed, realPath(allowed), where);
    }

    private static void checkLinkInside(Path file, Path real, Path allowed, Path allowedReal, String where) {
        if (!real.startsWith(allowedReal)) {
            String what = real.equals(file) ? " lies outside " : " is a symbolic link to " + real + ", outside ";
            throw new InstallException(where + ": " + file + what + allowed
                    + "; copy the file in or name it with $SRC_DIR$ or $BUILD_DIR$ in a copy group");
        }
    }

    private List<ModuleTarget> moduleTargets() {
        List<ModuleTarget> targets = new ArrayList<>();
        new TreeMap<>(in.modules()).forEach((key, module) -> {
            Object genconfig = module.get("genconfig");
            if (!(Boolean.TRUE.equals(genconfig) || "true".equals(genconfig))) {
                return;
            }
            List<Map<String, Object>> instances = serviceInstances(module);
            if (instances.size() > 1) {
                for (Map<String, Object> instance : instances) {
                    Object config = instance.getOrDefault("config_name", instance.getOrDefault("instance_name", key));
                    targets.add(new ModuleTarget(key, String.valueOf(config), instance));
                }
            } else {
                targets.add(new ModuleTarget(key, key, instances.isEmpty() ? null : instances.get(0)));
            }
        });
        return targets;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> serviceInstances(Map<String, Object> module) {
        Object instances = module.get("instances");
        if (!(instances instanceof List<?> list)) {
            return List.of();
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> map) {
                result.add((Map<String, Object>) map);
            }
        }
        return result;
    }

    private static boolean isAbsolute(String path) {
        return path.startsWith("/")
                || WINDOWS_ABSOLUTE.matcher(path).matches()
                || Path.of(path).isAbsolute();
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }

    /** One rendering of the {@code _MODULE_} templates. */
    private record ModuleTarget(String key, String config, Map<String, Object> serviceInstance) {}
}

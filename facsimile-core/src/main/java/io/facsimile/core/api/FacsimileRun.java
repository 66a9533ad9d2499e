package io.facsimile.core.api;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionException;
import io.facsimile.core.definition.DefinitionResolver;
import io.facsimile.core.definition.DefinitionSources;
import io.facsimile.core.definition.InstanceName;
import io.facsimile.core.definition.format.DocumentReader;
import io.facsimile.core.incremental.DerivedInstances;
import io.facsimile.core.incremental.ReleaseDirChanges;
import io.facsimile.core.incremental.RenderInputs;
import io.facsimile.core.incremental.ResolutionKeys;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.incremental.UnchangedRun;
import io.facsimile.core.install.OperatingSystem;
import io.facsimile.core.module.ModuleResolver;
import io.facsimile.core.module.Modules;
import io.facsimile.core.module.ServiceInstance;
import io.facsimile.core.schema.DefinitionSchema;
import io.facsimile.core.state.StateEncryption;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.StateStore;
import io.facsimile.core.state.crypto.KeySource;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.template.PropertyReads;
import io.facsimile.core.template.RenderModel;
import io.facsimile.core.template.TemplateEngine;
import io.facsimile.core.template.TemplateLimits;
import io.facsimile.core.text.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What every goal of one facade shares: the configuration, the reporter, the definition resolver,
 * the state store and one template engine, so each template is parsed once for all instances.
 */
final class FacsimileRun {

    /** The record of the instances the layer files derive, in the release root. */
    private static final String DERIVED = ".instances";

    /**
     * An instance as resolved, with the digest of the state file it was resolved with and the secrets to
     * mask, taken from the same read of the state.
     */
    record Resolution(ResolvedInstance resolved, String stateDigest, List<String> secrets) {}

    private final FacsimileConfig config;
    private final Reporter reporter;
    private final DefinitionResolver resolver;
    private final StateStore states;
    /** Where encrypted states are kept: left out of the listing of the definitions directory. */
    private final Path encryptedStates;

    private final ResolutionKeys resolutionKeys;
    /** {@link #currentPlatform()} as the run began: one value in every key the run writes. */
    private final String platform = currentPlatform();

    private final TemplateLimits templateLimits;
    private TemplateEngine templateEngine;
    /** Whether a render is being prepared ({@link #prepareRender}) and not yet ended. */
    private boolean preparing;
    /** The question {@link #prepareRender} started, until the render takes it or the preparation ends. */
    private ReleaseDirChanges startedChanges;
    /** The source files {@link #sourceFilesOfSelection} listed while preparing, until taken or the end. */
    private SourceFiles selectionSources;
    /**
     * The check of the record of the last run that found its instances up to date, while preparing;
     * read without this run's lock, since reading its answer may wait for {@code find}.
     */
    private volatile UnchangedRun unchangedRun = UnchangedRun.none();
    /** The instances this run derived from the layer files, for that record; {@code null} until then. */
    private volatile List<String> derived;
    /** The directories {@link #prepareRender} made for the release root, deepest first. */
    private List<Path> madeForReleaseRoot = List.of();
    /** Whether this run changed a state ({@link #stateChanged()}): its instances are checked one by one. */
    private volatile boolean stateChanged;
    /** Warnings given in this run, each once however many instances share it. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    FacsimileRun(FacsimileConfig config, Reporter reporter, TemplateLimits templateLimits) {
        this.templateLimits = templateLimits;
        this.config = config;
        this.reporter = reporter;
        ProjectContext project = config.project();
        this.resolver = new DefinitionResolver(
                DefinitionSources.locate(project.basedir(), config.definitionsDirectory(), config.sharedDirectories()),
                project);
        StateEncryption encryption = config.stateEncryption() != null
                ? config.stateEncryption()
                : new StateEncryption(null, KeySource.none(), List.of());
        this.encryptedStates = encryption.directory() != null
                ? encryption.directory()
                : resolver.sources().directory().resolve("state");
        this.states = new StateStore(
                config.stateDirectory(),
                new StateEncryption(encryptedStates, encryption.keys(), encryption.recipients()));
        this.resolutionKeys =
                new ResolutionKeys(config.project(), config.releaseRoot(), platform, resolver.sources(), states);
    }

    /**
     * What of the machine a rendering's output can depend on beyond its inputs: the operating system
     * (install groups' {@code os:}), the Java runtime's version ({@code Double.toString} of the same value
     * changed with Java 19) and the JVM's default locales ({@code $s.toUpperCase()} of {@code i} is
     * {@code İ} in Turkish), and the process's umask, which gives the release dir's directories their
     * modes. A run on another of them renders again.
     */
    static String currentPlatform() {
        return OperatingSystem.current().key()
                + " java " + Runtime.version()
                + " locale " + Locale.getDefault().toLanguageTag()
                + " " + Locale.getDefault(Locale.Category.FORMAT).toLanguageTag()
                + " " + Locale.getDefault(Locale.Category.DISPLAY).toLanguageTag()
                + " umask " + Umask.OF_PROCESS;
    }

    /** The umask of this process, as Linux reports it in {@code /proc/self/status}; {@code ?} elsewhere. */
    private static final class Umask {

        static final String OF_PROCESS = read();

        private static String read() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
                return lines.filter(line -> line.startsWith("Umask:"))
                        .map(line -> line.substring("Umask:".length()).strip())
                        .findFirst()
                        .orElse("?");
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }
    }

    /** What of the machine this run's output may depend on, {@link #currentPlatform()} as the run began. */
    String platform() {
        return platform;
    }

    FacsimileConfig config() {
        return config;
    }

    ProjectContext project() {
        return config.project();
    }

    Reporter reporter() {
        return reporter;
    }

    DefinitionResolver resolver() {
        return resolver;
    }

    StateStore states() {
        return states;
    }

    ResolutionKeys resolutionKeys() {
        return resolutionKeys;
    }

    synchronized TemplateEngine templateEngine() {
        if (templateEngine == null) {
            templateEngine = new TemplateEngine(templateLimits);
        }
        return templateEngine;
    }

    /** The limits of this run's templates. */
    TemplateLimits templateLimits() {
        return templateLimits;
    }

    /** Whether this run has started its template engine: an up-to-date run never does. */
    synchronized boolean hasTemplateEngine() {
        return templateEngine != null;
    }

    /** {@code true} the first time a warning is given in this run, {@code false} after. */
    boolean warnOnce(String warning) {
        return warned.add(warning);
    }

    /**
     * The source files of one goal run: each template is read once, however many instances use it.
     * Those the choice of instances of a render being prepared listed are taken, once, rather than
     * listed again.
     */
    synchronized SourceFiles sourceFiles() {
        SourceFiles listed = selectionSources;
        selectionSources = null;
        return listed != null ? listed : newSourceFiles();
    }

    /** The source files for choosing a goal's instances, kept for the render while one is being prepared. */
    synchronized SourceFiles sourceFilesOfSelection() {
        SourceFiles sources = newSourceFiles();
        if (preparing) {
            selectionSources = sources;
        }
        return sources;
    }

    private SourceFiles newSourceFiles() {
        return new SourceFiles(
                resolver.sources().directory(), resolver.sources().sharedDirectories(), encryptedStates);
    }

    /**
     * Which release dirs of {@code instances} had nothing changed since their stamps listed them: the
     * answer {@link #prepareRender} started asking for, taken once, or a question started now, beside
     * the goal's own work.
     */
    ReleaseDirChanges releaseDirChanges(List<String> instances) {
        ReleaseDirChanges started;
        synchronized (this) {
            started = startedChanges;
            startedChanges = null;
        }
        if (started == null) {
            started = unchangedRun.releaseDirChanges(); // waits for the record's answer without holding this run
        }
        return started != null ? started : ReleaseDirChanges.start(config.releaseRoot(), instances);
    }

    /**
     * Starts preparing a render: makes the release root if it is missing, takes the render's moment there
     * and checks the record of the last run that left its instances up to date; when there is none, or it
     * does not answer, asks about every stamped release dir; and keeps the choice's listing.
     */
    synchronized void prepareRender(boolean everyStamp) {
        preparing = true;
        selectionSources = null;
        derived = null;
        stateChanged = false;
        madeForReleaseRoot = makeReleaseRoot();
        unchangedRun = UnchangedRun.check(config.releaseRoot(), this::unchangedRunInputs, everyStamp);
        startedChanges = everyStamp && !unchangedRun.checksRecord()
                ? ReleaseDirChanges.startForEveryStamp(config.releaseRoot())
                : null;
    }

    /** Ends preparing a render: drops what it kept and the render did not take. */
    synchronized void endPreparedRender() {
        preparing = false;
        selectionSources = null;
        startedChanges = null;
        unchangedRun = UnchangedRun.none();
        if (!madeForReleaseRoot.isEmpty()) {
            removeUnusedReleaseRoot(madeForReleaseRoot);
        }
        madeForReleaseRoot = List.of();
    }

    /**
     * Makes the release root when it is missing (after {@code mvn clean}), so that the run's moment is taken
     * there and its render recorded.
     *
     * @return the directories made, deepest first; none when nothing was made or it could not be (the
     *     render then makes it, or says why it cannot, and nothing is recorded)
     */
    private List<Path> makeReleaseRoot() {
        List<Path> missing = new ArrayList<>();
        for (Path directory = config.releaseRoot().toAbsolutePath();
                directory != null && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS);
                directory = directory.getParent()) {
            missing.add(directory);
        }
        try {
            Files.createDirectories(config.releaseRoot());
            return missing;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Removes the release root this run made, and the directories it made for it, when the goal rendered
     * nothing there (a user error before the render: nothing is left behind); the record of derived
     * instances the goal may have left in it goes too. A release dir's lock file keeps it: another build
     * may hold the lock, and a file deleted under it would let a third lock a new one at once.
     */
    private void removeUnusedReleaseRoot(List<Path> made) {
        Path derivedRecord = config.releaseRoot().resolve(DERIVED);
        try (Stream<Path> entries = Files.list(config.releaseRoot())) {
            // a release dir's lock file stays, with the root: another build may hold it
            if (entries.anyMatch(entry -> !entry.equals(derivedRecord))) {
                return; // it holds what the goal rendered
            }
            Files.deleteIfExists(derivedRecord);
            for (Path directory : made) {
                Files.deleteIfExists(directory);
            }
        } catch (IOException | RuntimeException e) {
            // a directory that holds something else now stays, with those above it
        }
    }

    /**
     * The instances the layer files derive: as the last run that found its instances up to date
     * derived them when nothing changed since, else from the listing of the definitions.
     */
    List<String> derivedInstances() {
        Optional<List<String>> recorded = unchangedRun.derived();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        List<String> instances = DerivedInstances.of(
                config.releaseRoot().resolve(DERIVED),
                sourceFilesOfSelection(),
                project().projectName(),
                resolver::instances);
        derived = instances;
        return instances;
    }

    /** Whether the last run found each of {@code instances} up to date and nothing changed since. */
    boolean unchangedSinceLastRun(List<String> instances) {
        return !stateChanged && unchangedRun.covers(instances);
    }

    /**
     * Marks that this run changed a state (new values saved, pruned, rotated, re-encrypted): no record of
     * a run that found its instances up to date answers for it, and it writes none.
     */
    void stateChanged() {
        stateChanged = true;
    }

    /**
     * Does {@code work} on {@code instances}, which tells its tally which it found up to date and which
     * it rendered; then records that this run left each of them up to date, or forgets the last run that
     * did (see {@link UnchangedRun}).
     */
    <T> T recording(List<String> instances, Function<UnchangedRun.Tally, T> work) {
        UnchangedRun.Tally tally = new UnchangedRun.Tally();
        try {
            T result = work.apply(tally);
            record(instances, tally);
            return result;
        } catch (RuntimeException e) {
            record(instances, new UnchangedRun.Tally()); // found none up to date: the record is removed
            throw e;
        }
    }

    private synchronized void record(List<String> instances, UnchangedRun.Tally tally) {
        unchangedRun.record(
                instances,
                stateChanged ? new UnchangedRun.Tally() : tally,
                derived,
                this::unchangedRunInputs,
                this::reachedWithoutLinks);
    }

    /**
     * Whether the file of state {@code name} and its directory are no links: one would lead out of the
     * state directory that {@code find} walks for the record of a run (its root may be one: it is walked
     * as it really is).
     */
    private boolean reachedWithoutLinks(String name) {
        try {
            Path file = states.stateFile(name);
            return !Files.isSymbolicLink(file) && !Files.isSymbolicLink(file.getParent());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * What the record of a run that found its instances up to date is keyed by: everything an
     * instance's stamp is keyed by but the files (see {@link ResolutionKeys}), and the directories those
     * lie in. A state directory that does not exist is keyed as absent (a state made there later changes
     * the key); {@code null} when a definitions or shared directory is missing.
     */
    private UnchangedRun.Inputs unchangedRunInputs() {
        try {
            List<Path> trees = new ArrayList<>();
            List<String> directories = new ArrayList<>();
            for (Path directory : resolver.sources().searchOrder()) {
                trees.add(directory.toRealPath());
                directories.add(directory.toAbsolutePath().toString());
            }
            Path definitions = resolver.sources().directory().toRealPath();
            Path stateDirectory = states.stateDirectory().toAbsolutePath();
            boolean stateExists = Files.exists(stateDirectory);
            if (stateExists) {
                trees.add(stateDirectory.toRealPath());
            }
            Path encrypted = encryptedStates.toAbsolutePath().normalize();
            boolean encryptedExists = Files.exists(encrypted);
            if (encryptedExists && !encrypted.toRealPath().startsWith(definitions)) {
                trees.add(encrypted.toRealPath());
            }
            Path releaseRoot = config.releaseRoot();
            String base = RenderInputs.builder()
                    .add("trees", UnchangedRun.identities(trees))
                    .add("directories", directories)
                    .add("stateDirectory", List.of(stateDirectory.toString(), stateExists))
                    .add("encryptedStates", List.of(encrypted.toString(), encryptedExists))
                    .add(
                            "releaseRoot",
                            List.of(
                                    releaseRoot.toAbsolutePath().toString(),
                                    releaseRoot.toRealPath().toString()))
                    .add("project", ResolutionKeys.project(config.project()))
                    .add("platform", platform)
                    .hex();
            return new UnchangedRun.Inputs(base, trees, config.project());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code target/facsimile/<instance>}; an invalid name (one that leads out of it) fails as a user error. */
    Path releaseDir(String instance) {
        return config.releaseRoot().resolve(InstanceName.checked(instance));
    }

    /** {@code path} as the user reads it: relative to the project. */
    Path shown(Path path) {
        return config.project().basedir().relativize(path);
    }

    /**
     * The definition of an instance, parsing each layer once per run, not yet checked against the
     * schema: {@code validate} reports the violations with every other error.
     */
    Definition unchecked(String instance, SourceFiles sources) {
        return resolver.resolve(instance, file -> sources.parsed(file, DocumentReader::read));
    }

    /**
     * The definition of an instance as its layers read now, not checked against the schema and read past
     * the run's sources, which keep nothing read before their listing is taken: for work that starts before
     * the run knows whether the instance changed.
     */
    Definition beforehand(String instance) {
        return resolver.resolve(instance);
    }

    /** The definition of an instance, parsing each layer once per run, checked against the schema. */
    Definition definition(String instance, SourceFiles sources) {
        return checked(unchecked(instance, sources));
    }

    /** The definition of an instance, checked against the schema. */
    Definition definition(String instance) {
        return checked(resolver.resolve(instance));
    }

    /**
     * The schema runs in every goal, so what {@code validate} refuses every goal refuses, with the
     * same message.
     *
     * @throws DefinitionException naming every violation, one per line
     */
    private static Definition checked(Definition definition) {
        List<String> violations = DefinitionSchema.get().check(definition);
        if (!violations.isEmpty()) {
            throw new DefinitionException(String.join("\n", violations));
        }
        return definition;
    }

    /** Resolves an instance and its modules, saving whatever its state lacks. */
    Resolution resolution(String instance, SourceFiles sources) {
        return resolution(definition(instance, sources), sources);
    }

    /**
     * Resolves an instance whose stamp shows that nothing it was resolved from changed since a
     * rendering checked it against the schema (the layers, the state, the environment variables it
     * reads and Facsimile's own code are all in the stamp's key): the schema is not run again, so a
     * no-op deploy loads neither the schema validator nor what it needs.
     */
    Resolution unchangedResolution(String instance, SourceFiles sources) {
        return resolution(unchecked(instance, sources), sources);
    }

    private Resolution resolution(Definition definition, SourceFiles sources) {
        try (StateSession state = states.open(definition.stateName())) {
            ResolvedInstance resolved = new ResolvedInstance(definition, modules(definition, state, sources));
            strayOverlays(resolved).forEach(reporter::warn);
            if (state.commit()) {
                stateChanged();
                reporter.info("Saved new generated values in state " + definition.stateName());
            }
            return new Resolution(resolved, state.digest(), secrets(resolved, state.secrets()));
        }
    }

    Modules modules(Definition definition, StateSession state, SourceFiles sources) {
        ModuleResolver modules = new ModuleResolver(definition, state);
        return resolver.modules(file -> sources.parsed(file, DocumentReader::read))
                .map(modules::resolve)
                .orElse(Modules.none());
    }

    /**
     * Overlays the instance merges over no module ({@code modules.<x>}, {@code service.<x>}, {@code config.<x>}
     * whose {@code x} is no module's key), which are ignored: a mistyped {@code modules.apy.service.n_instances:
     * 3} would run one instance. A warning, not an error: a layer shared by several projects may carry overlays
     * of another project's modules.
     */
    static List<String> strayOverlays(ResolvedInstance resolved) {
        Definition definition = resolved.definition();
        Set<String> keys = new TreeSet<>();
        resolved.modules().all().forEach(module -> keys.add(module.key()));
        List<String> stray = new ArrayList<>();
        for (String top : List.of("modules", "service", "config")) {
            if (!(definition.tree().get(top) instanceof Map<?, ?> overlays)) {
                continue;
            }
            for (Object key : overlays.keySet()) {
                if (keys.contains(key.toString())) {
                    continue;
                }
                Optional<String> near = Suggestions.nearest(key.toString(), keys);
                String at = top + "." + key;
                stray.add(definition.instance() + ": "
                        + definition.origin(at).map(Object::toString).orElse(at) + ": " + at
                        + " is merged over no module and is ignored"
                        + near.map(n -> " (did you mean " + n + "?)").orElse("")
                        + (keys.isEmpty() ? "; there are no modules" : "; the modules are " + String.join(", ", keys)));
            }
        }
        return stray;
    }

    /** Drops from an instance's state what no module claims any more; see {@link Facsimile#prune}. */
    List<String> prune(String instance) {
        stateChanged();
        Definition definition = definition(instance);
        try (StateSession state = states.open(definition.stateName())) {
            Modules modules = modules(definition, state, sourceFiles());
            Set<String> usernames = new HashSet<>();
            Set<String> logicalNames = new HashSet<>();
            modules.all().forEach(module -> usernames.add(module.username()));
            modules.serviceInstances().forEach(service -> logicalNames.add(service.logicalName()));
            List<String> dropped = state.prune(usernames, logicalNames);
            state.commit();
            reporter.info(instance + ": "
                    + (dropped.isEmpty()
                            ? "nothing to prune in state " + definition.stateName()
                            : "pruned " + String.join(", ", dropped) + " from state " + definition.stateName()));
            return dropped;
        }
    }

    /** What the templates of an instance see when rendered into {@code releaseDir}. */
    RenderModel model(ResolvedInstance resolved, Path releaseDir, boolean sealed) {
        Definition definition = resolved.definition();
        return new RenderModel(
                definition.tree(),
                resolved.modules().toMap(sealed),
                resolved.modules().serviceInstances().stream()
                        .map(ServiceInstance::toMap)
                        .toList(),
                config.project(),
                definition.instance(),
                definition.layers().stream().map(Definition.Layer::name).toList(),
                releaseDir,
                new PropertyReads());
    }

    /** The layer files and the module list a definition was resolved from. */
    List<Path> definitionFiles(Definition definition) {
        List<Path> files = new ArrayList<>();
        definition.layers().forEach(layer -> files.add(layer.file()));
        resolver.modulesFile().ifPresent(files::add);
        return files;
    }

    /** Every secret to mask: the modules' passwords and every password the state holds or retired. */
    List<String> secrets(ResolvedInstance resolved) {
        return secrets(resolved, states.secrets(resolved.definition().stateName()));
    }

    private static List<String> secrets(ResolvedInstance resolved, List<Secret> stateSecrets) {
        Set<String> secrets = new LinkedHashSet<>();
        resolved.modules().all().forEach(module -> secrets.add(module.password().reveal()));
        stateSecrets.forEach(secret -> secrets.add(secret.reveal()));
        return List.copyOf(secrets);
    }

    /**
     * {@code work} of each instance over the {@link InstanceWorkers}; with several instances, a line
     * {@code [3/20] prod.eu1: ready in <path>} as each one finishes, so a long run shows how far it got.
     */
    List<Path> eachInstance(List<String> instances, FailurePolicy policy, String done, Function<String, Path> work) {
        AtomicInteger finished = new AtomicInteger();
        return InstanceWorkers.map(instances, threads(), policy, i -> {
            Path result = InstanceErrors.naming(i, () -> work.apply(i));
            if (instances.size() > 1) {
                synchronized (finished) { // counted and printed together, so the lines count up
                    reporter.info("[" + finished.incrementAndGet() + "/" + instances.size() + "] " + i + ": " + done
                            + " " + shown(result));
                }
            }
            return result;
        });
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }
}

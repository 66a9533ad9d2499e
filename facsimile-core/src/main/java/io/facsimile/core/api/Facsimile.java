package io.facsimile.core.api;

import io.facsimile.core.bundle.BundleException;
import io.facsimile.core.bundle.BundleWriter;
import io.facsimile.core.bundle.Manifest;
import io.facsimile.core.bundle.ManifestWriter;
import io.facsimile.core.bundle.Sealer;
import io.facsimile.core.check.OutputChecker;
import io.facsimile.core.describe.Describer;
import io.facsimile.core.describe.Description;
import io.facsimile.core.describe.Explanation;
import io.facsimile.core.describe.InstanceList;
import io.facsimile.core.describe.ListedInstance;
import io.facsimile.core.describe.StoredState;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionResolver;
import io.facsimile.core.definition.DefinitionSources;
import io.facsimile.core.definition.format.DocumentReader;
import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.NodeDiff;
import io.facsimile.core.deploy.NodeDrift;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.TransportFactory;
import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.deploy.ssh.SshCredentials;
import io.facsimile.core.deploy.ssh.SshTransportFactory;
import io.facsimile.core.install.ArtifactResolver;
import io.facsimile.core.install.Fingerprint;
import io.facsimile.core.install.InstallAction;
import io.facsimile.core.install.InstallException;
import io.facsimile.core.install.InstallExecutor;
import io.facsimile.core.install.InstallGroup;
import io.facsimile.core.install.InstallGroups;
import io.facsimile.core.install.InstallInputs;
import io.facsimile.core.install.InstallPlan;
import io.facsimile.core.install.InstallPlanner;
import io.facsimile.core.install.InstallSummary;
import io.facsimile.core.install.OperatingSystem;
import io.facsimile.core.install.PathTokens;
import io.facsimile.core.install.PreparedFile;
import io.facsimile.core.install.ReleaseStamp;
import io.facsimile.core.install.RenderInputs;
import io.facsimile.core.install.ResolutionKey;
import io.facsimile.core.install.SourceFiles;
import io.facsimile.core.module.Module;
import io.facsimile.core.module.ModuleResolver;
import io.facsimile.core.module.Modules;
import io.facsimile.core.module.ServiceInstance;
import io.facsimile.core.schema.DefinitionSchema;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.StateStore;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.template.RenderModel;
import io.facsimile.core.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a build tool calls: one object per project and run. Each method is one goal's work; the
 * caller turns its own parameters into a {@link FacsimileConfig} and maps {@link FacsimileException}s
 * to its own failures.
 */
public final class Facsimile {

    private final FacsimileConfig config;
    private final Reporter reporter;
    private final DefinitionResolver resolver;
    private final StateStore states;
    private final ResolutionKeys resolutionKeys;
    /** One engine for the whole run, so each template is parsed once for all instances; made on first use. */
    private TemplateEngine templateEngine;

    public Facsimile(FacsimileConfig config, Reporter reporter) {
        this.config = config;
        this.reporter = reporter;
        ProjectContext project = config.project();
        this.resolver = new DefinitionResolver(
                DefinitionSources.locate(project.basedir(), config.definitionsDirectory(), config.sharedDirectories()),
                project);
        this.states = new StateStore(config.stateDirectory());
        this.resolutionKeys = new ResolutionKeys(config, resolver.sources(), states);
    }

    /** The instances the definitions directory holds, sorted. */
    public List<String> instances() {
        return resolver.instances();
    }

    /**
     * Resolves an instance and its modules, generating and saving whatever its state lacks (new
     * passwords, uiids). Stored values are never changed.
     */
    public ResolvedInstance resolve(String instance) {
        return resolve(instance, sourceFiles());
    }

    /** @param sources the run's source files, which parse each shared layer once for all instances */
    private ResolvedInstance resolve(String instance, SourceFiles sources) {
        return resolution(instance, sources).resolved();
    }

    /** An instance as resolved, with the digest of the state file it was resolved with. */
    private record Resolution(ResolvedInstance resolved, String stateDigest) {}

    private Resolution resolution(String instance, SourceFiles sources) {
        Definition definition = resolver.resolve(instance, file -> sources.parsed(file, DocumentReader::read));
        try (StateSession state = states.open(definition.stateName())) {
            ResolvedInstance resolved = new ResolvedInstance(definition, modules(definition, state, sources));
            if (state.commit()) {
                reporter.info("Saved new generated values in state " + definition.stateName());
            }
            return new Resolution(resolved, state.digest());
        }
    }

    /**
     * Drops from an instance's state the passwords and service instances that no module of
     * {@code modules.yaml} claims any more ({@code -Dfacsimile.prune}); a normal run never does.
     *
     * @return the usernames and service instance names dropped
     */
    public List<String> prune(String instance) {
        Definition definition = resolver.resolve(instance);
        try (StateSession state = states.open(definition.stateName())) {
            Modules modules = modules(definition, state);
            Set<String> usernames = new HashSet<>();
            Set<String> logicalNames = new HashSet<>();
            modules.all().forEach(module -> usernames.add(module.username()));
            modules.serviceInstances().forEach(service -> logicalNames.add(service.logicalName()));
            List<String> dropped = state.prune(usernames, logicalNames);
            state.commit();
            reporter.info(instance + ": " + (dropped.isEmpty()
                    ? "nothing to prune in state " + definition.stateName()
                    : "pruned " + String.join(", ", dropped) + " from state " + definition.stateName()));
            return dropped;
        }
    }

    /**
     * Resolves and renders each instance in memory and collects every error of every instance;
     * writes nothing, not even new state.
     */
    public Validation validate(List<String> instances, ArtifactResolver artifacts) {
        SourceFiles sources = sourceFiles();
        List<String> summaries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String instance : instances) {
            try {
                Definition definition = resolver.resolve(instance, file -> sources.parsed(file, DocumentReader::read));
                errors.addAll(DefinitionSchema.get().check(definition));
                try (StateSession state = states.peek(definition.stateName())) {
                    ResolvedInstance resolved = new ResolvedInstance(definition, modules(definition, state, sources));
                    Path releaseDir = releaseDir(instance);
                    InstallPlan plan = plan(resolved, releaseDir, artifacts, sources);
                    List<PreparedFile> files = new ArrayList<>();
                    List<FacsimileException> renderErrors = new InstallExecutor(templateEngine(), sources)
                            .check(plan, model(resolved, releaseDir, false), files);
                    renderErrors.forEach(error -> errors.add(error.getMessage()));
                    if (renderErrors.isEmpty()) {
                        OutputChecker.check(plan, files).forEach(problem -> errors.add(instance + ": " + problem));
                        summaries.add(resolved.summary() + "; " + plan.actions().size() + " files");
                    }
                }
            } catch (FacsimileException e) {
                errors.add(e.getMessage());
            }
        }
        return new Validation(summaries, errors);
    }

    /**
     * Resolves an instance and renders its release dir, {@code <releaseRoot>/<instance>/}, then writes
     * its {@code manifest.json}. Files whose content is unchanged are not rewritten; an instance whose
     * stamp shows nothing changed is neither resolved nor rendered.
     *
     * @return the release dir
     */
    public Path render(String instance, ArtifactResolver artifacts) {
        return renderUnlessCurrent(instance, artifacts, sourceFiles());
    }

    /**
     * Renders several instances as {@link #render(String, ArtifactResolver)} does, one per core at a
     * time; after a failure no further instance starts.
     *
     * @return the release dirs, in the order of {@code instances}
     */
    public List<Path> render(List<String> instances, ArtifactResolver artifacts) {
        SourceFiles sources = sourceFiles();
        return InstanceWorkers.map(instances, threads(), instance -> renderUnlessCurrent(instance, artifacts, sources));
    }

    /**
     * Packages several instances as {@link #bundle(String, BundleRequest, ArtifactResolver)} does,
     * one per core at a time; after a failure no further instance starts.
     *
     * @return the archives, in the order of {@code instances}
     */
    public List<Path> bundle(List<String> instances, BundleRequest request, ArtifactResolver artifacts) {
        SourceFiles sources = sourceFiles();
        return InstanceWorkers.map(instances, threads(), instance -> bundle(instance, request, artifacts, sources));
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The source files of one goal run: each template is read once, however many instances use it. */
    private SourceFiles sourceFiles() {
        return new SourceFiles(definitionsDirectory(), resolver.sources().sharedDirectories());
    }

    /** An instance as resolved and rendered by one run. */
    private record Rendered(ResolvedInstance resolved, Path releaseDir) {}

    /**
     * The release dir alone, which is all the render goal needs: an instance whose stamp shows that
     * nothing it was resolved from changed, and whose release dir is untouched, is not even resolved
     * again. Goals that use the resolved instance too resolve it first, so that both are of one moment.
     */
    private Path renderUnlessCurrent(String instance, ArtifactResolver artifacts, SourceFiles sources) {
        sources.listing(); // taken before anything is read
        Path releaseDir = releaseDir(instance);
        if (RenderInputs.isCurrentByResolution(releaseDir, recorded -> resolutionKeys.again(instance, recorded, sources))) {
            reporter.info(upToDate(instance, releaseDir));
            reporter.debug(instance + ": not resolved again: its layers, state and environment variables are unchanged");
            return releaseDir;
        }
        return rendered(instance, artifacts, sources).releaseDir();
    }

    /** The layer files and the module list a definition was resolved from. */
    private List<Path> definitionFiles(Definition definition) {
        List<Path> files = new ArrayList<>();
        definition.layers().forEach(layer -> files.add(layer.file()));
        resolver.modulesFile().ifPresent(files::add);
        return files;
    }

    private String upToDate(String instance, Path releaseDir) {
        return instance + ": release dir up to date, nothing rewritten (no input changed) in "
                + config.project().basedir().relativize(releaseDir);
    }

    /** @param sources the run's source files, whose listing is taken before anything is read */
    private Rendered rendered(String instance, ArtifactResolver artifacts, SourceFiles sources) {
        sources.listing(); // taken before anything is read
        Path releaseDir = releaseDir(instance);
        Path shown = config.project().basedir().relativize(releaseDir);
        Resolution resolution = resolution(instance, sources);
        ResolvedInstance resolved = resolution.resolved();
        RenderModel model = model(resolved, releaseDir, false);
        RenderInputs inputs = renderInputs(resolved, model, null,
                resolutionKeys.of(resolved.definition(), resolution.stateDigest(), sources), sources);
        if (inputs.isCurrent(releaseDir)) {
            inputs.rekey(releaseDir); // resolved to the same from changed inputs: the next run need not resolve
            reporter.info(upToDate(instance, releaseDir));
            return new Rendered(resolved, releaseDir);
        }
        ReleaseStamp.invalidate(releaseDir);
        InstallPlan plan = plan(resolved, releaseDir, artifacts, sources);
        InstallExecutor executor = new InstallExecutor(templateEngine(), sources);
        List<PreparedFile> files = executor.prepare(plan, model);
        InstallSummary summary = executor.write(releaseDir, files);
        // from the bytes just written, not by reading 10,000 files back
        ManifestWriter.write(releaseDir, manifest(files));
        inputs.record(releaseDir, plan, definitionFiles(resolved.definition()), sources);
        reporter.info(instance + ": " + (summary.nothingChanged()
                ? "release dir up to date, nothing rewritten"
                : summary.written().size() + " written, " + summary.unchanged().size() + " unchanged, "
                        + summary.removed().size() + " removed")
                + " in " + shown);
        summary.written().forEach(file -> reporter.debug("  wrote " + file));
        summary.removed().forEach(file -> reporter.debug("  removed " + file));
        return new Rendered(resolved, releaseDir);
    }

    /**
     * The fingerprint of what rendering {@code model} into its release dir depends on: everything
     * its templates see, the install plan's inputs, and for a sealed copy what the seal depends on.
     *
     * @param sealInputs what the sealed copy depends on besides the model, {@code null} for the real rendering
     * @param resolution what the model was resolved from, {@code null} for the sealed copy
     */
    private RenderInputs renderInputs(ResolvedInstance resolved, RenderModel model, Object sealInputs,
            ResolutionKey resolution, SourceFiles sources) {
        Fingerprint values = RenderInputs.builder()
                .add("sealed", sealInputs != null)
                .add("seal", sealInputs)
                .add("definition", model.definition())
                .add("modules", model.modules())
                .add("services", model.services())
                .add("instance", model.instance())
                .add("layers", model.layers())
                .add("releaseDir", model.releaseDir().toAbsolutePath().toString())
                .add("project", ResolutionKeys.project(config.project()))
                .add("os", OperatingSystem.current().toString());
        boolean usesArtifacts;
        try {
            usesArtifacts = InstallGroups.from(resolved.definition().tree()).stream()
                    .anyMatch(InstallGroup.Artifact.class::isInstance);
        } catch (FacsimileException e) {
            usesArtifacts = true; // rendered the long way, which reports the error with its origin
        }
        return RenderInputs.of(values, sources, !usesArtifacts, resolution);
    }

    /** The manifest of the deploy tree the prepared files make, once written. */
    private static Manifest manifest(List<PreparedFile> files) {
        String prefix = RenderModel.DEPLOY_TREE + "/";
        Map<String, Object> contents = new HashMap<>();
        Map<String, Set<PosixFilePermission>> modes = new HashMap<>();
        for (PreparedFile file : files) {
            if (file.destination().startsWith(prefix)) {
                String path = file.destination().substring(prefix.length());
                contents.put(path, file.source() != null ? file.source() : file.contentBuffer());
                if (file.permissions() != null) {
                    modes.put(path, file.permissions());
                }
            }
        }
        return Manifest.of(contents, modes);
    }

    private static byte[] manifestBytes(Path releaseDir) {
        Path manifest = releaseDir.resolve(Manifest.FILE_NAME);
        try {
            return Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw new BundleException("Cannot read " + manifest + ": " + e.getMessage(), e, false);
        }
    }

    private Path definitionsDirectory() {
        return resolver.sources().directory();
    }

    /**
     * Renders an instance and packages it into {@code <buildDir>/<artifactId>-<version>-<instance>.<ext>}.
     * Unless the request includes secrets, the archive is made from a second rendering in which every
     * state value reads {@code ********}, and is checked to hold none of the state's secrets.
     *
     * @return the archive
     */
    public Path bundle(String instance, BundleRequest request, ArtifactResolver artifacts) {
        return bundle(instance, request, artifacts, sourceFiles());
    }

    private Path bundle(String instance, BundleRequest request, ArtifactResolver artifacts, SourceFiles sources) {
        Rendered rendered = rendered(instance, artifacts, sources);
        Path releaseDir = rendered.releaseDir();
        ProjectContext project = config.project();
        String base = BundleWriter.baseName(project.artifactId(), project.version(), instance);
        Path archive = project.buildDirectory().resolve(request.format().fileName(base));
        BundleWriter writer = new BundleWriter(request.format(), request.timestamp());
        if (request.includeSecrets()) {
            reporter.warn(instance + ": the bundle holds the real secrets of the state (bundleSecrets=include);"
                    + " whoever can read the repository it is published to can read them");
            writer.write(releaseDir, base, archive);
        } else {
            ResolvedInstance resolved = rendered.resolved();
            Path sealedDir = config.releaseRoot().resolve(".sealed").resolve(instance);
            List<String> secrets = secrets(resolved);
            // the seal compares with the real rendering and checks for these secrets: both are inputs
            RenderModel model = model(resolved, sealedDir, true);
            RenderInputs inputs = renderInputs(resolved, model, List.of(manifestBytes(releaseDir), secrets), null,
                    sources);
            if (!inputs.isCurrent(sealedDir)) {
                ReleaseStamp.invalidate(sealedDir);
                InstallPlan plan = plan(resolved, sealedDir, artifacts, sources);
                new InstallExecutor(templateEngine(), sources).execute(plan, model);
                Sealer.seal(releaseDir, sealedDir);
                // the archive holds exactly the sealed tree's files: checked here, before it exists
                Sealer.requireNoSecretsIn(sealedDir, secrets);
                inputs.record(sealedDir, plan, List.of(), sources);
            }
            writer.write(sealedDir, base, archive);
        }
        reporter.info(instance + ": packaged " + config.project().basedir().relativize(archive)
                + (request.includeSecrets() ? " (with secrets)" : " (secrets sealed)"));
        return archive;
    }

    /**
     * Renders an instance (rewriting nothing that is up to date) and deploys its deploy tree to its
     * nodes, or to {@code deploy.home} on this machine when it has none. A failed node does not stop
     * the others; the report says which failed and why.
     */
    public DeployReport deploy(String instance, DeployOptions options, ArtifactResolver artifacts) {
        Rendered rendered = rendered(instance, artifacts, sourceFiles());
        DeploySpec spec = deploySpec(rendered.resolved().definition());
        DeployRequest request = new DeployRequest(ReleaseSource.of(rendered.releaseDir(), config.project().version()),
                spec, options.targets(), options.dryRun(), Set.copyOf(secrets(rendered.resolved())), options.checksum(),
                options.force());
        reporter.info(instance + ": " + (options.dryRun() ? "dry run of the deploy" : "deploying") + " to "
                + where(spec, options));
        return engine().deploy(request, transports(instance, spec, options));
    }

    /** Switches the nodes of an instance back to the release deployed before the current one. */
    public DeployReport rollback(String instance, DeployOptions options) {
        ResolvedInstance resolved = resolve(instance);
        DeploySpec spec = deploySpec(resolved.definition());
        reporter.info(instance + ": rolling back " + where(spec, options));
        DeployRequest request = new DeployRequest(null, spec, options.targets(), options.dryRun(),
                Set.copyOf(secrets(resolved)), options.checksum(), options.force());
        return engine().rollback(request, transports(instance, spec, options));
    }

    /** What a deploy would add, change and remove on each node, with a unified diff of text files, secrets masked. */
    public List<NodeDiff> diff(String instance, DeployOptions options, ArtifactResolver artifacts) {
        Rendered rendered = rendered(instance, artifacts, sourceFiles());
        DeploySpec spec = deploySpec(rendered.resolved().definition());
        DeployRequest request = new DeployRequest(ReleaseSource.of(rendered.releaseDir(), config.project().version()),
                spec, options.targets(), true, Set.copyOf(secrets(rendered.resolved())));
        return engine().diff(request, transports(instance, spec, options));
    }

    /** Drift: each node's live files compared with the manifest of its current release. */
    public List<NodeDrift> verify(String instance, DeployOptions options) {
        DeploySpec spec = deploySpec(resolver.resolve(instance));
        return engine().verify(spec, options.targets(), transports(instance, spec, options));
    }

    private DeploySpec deploySpec(Definition definition) {
        Object deploy = definition.get("deploy").orElse(Map.of());
        if (!(deploy instanceof Map<?, ?> map)) {
            throw new DeployException(definition.origin("deploy").map(o -> o + ": ").orElse("")
                    + "deploy must be a map (home, nodes, postcmd, …)");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) map;
        try {
            return DeploySpec.parse(typed);
        } catch (DeployException e) {
            throw e.isUserError() && definition.origin("deploy").isPresent()
                    ? new DeployException(definition.origin("deploy").get() + ": " + e.getMessage())
                    : e;
        }
    }

    /**
     * The local transport for an instance without {@code deploy.nodes}, SSH otherwise: logged in with
     * the credentials stored as {@code deploy.server} (default {@code facsimile.<instance>}), as
     * {@code deploy.user} when set.
     */
    private TransportFactory transports(String instance, DeploySpec spec, DeployOptions options) {
        if (spec.isLocal()) {
            return LocalTransport.factory(spec.localHome(options.destdir(), config.project().basedir()));
        }
        String serverId = spec.server() == null || spec.server().isBlank() ? "facsimile." + instance : spec.server();
        SshCredentials credentials = options.credentials().find(serverId).orElseGet(() -> {
            reporter.info(instance + ": no credentials stored as " + serverId + " (settings.xml <server>); logging in"
                    + " with the default keys of ~/.ssh");
            return SshCredentials.defaults();
        }).withUser(spec.user());
        reporter.debug(instance + ": SSH as " + credentials.login() + ", host keys from " + options.hostKeys().knownHosts()
                + (options.hostKeys().acceptNew() ? " (new host keys are accepted and recorded)" : ""));
        return new SshTransportFactory(spec.home(), credentials, options.hostKeys());
    }

    private String where(DeploySpec spec, DeployOptions options) {
        return spec.isLocal()
                ? String.valueOf(spec.localHome(options.destdir(), config.project().basedir()))
                : spec.nodes().size() + " target(s)";
    }

    private DeployEngine engine() {
        return DeployEngine.create(new DeployListener() {
            @Override
            public void info(Node node, String message) {
                reporter.info(node.name() + ": " + message);
            }

            @Override
            public void warn(Node node, String message) {
                reporter.warn(node.name() + ": " + message);
            }

            @Override
            public void output(Node node, String text) {
                text.lines().forEach(line -> reporter.info(node.name() + "> " + line));
            }

            @Override
            public void finished(NodeResult result) {
                reporter.info(result.line());
            }
        });
    }

    private synchronized TemplateEngine templateEngine() {
        if (templateEngine == null) {
            templateEngine = new TemplateEngine();
        }
        return templateEngine;
    }

    private InstallPlan plan(ResolvedInstance resolved, Path releaseDir, ArtifactResolver artifacts, SourceFiles sources) {
        ProjectContext project = config.project();
        InstallInputs inputs = new InstallInputs(
                resolver.sources().directory(),
                releaseDir,
                resolved.name(),
                resolved.modules().toMap(false),
                OperatingSystem.current(),
                new PathTokens(project.basedir(), project.buildDirectory(), releaseDir.resolve(RenderModel.DEPLOY_TREE)),
                artifacts,
                null,
                project.projectName(),
                project.version(),
                sources);
        Definition definition = resolved.definition();
        try {
            return InstallPlanner.plan(InstallGroups.from(definition.tree()), inputs);
        } catch (InstallException e) {
            // install.groups is a list, so one layer set all of it: that layer is where to look
            if (e.isUserError() && definition.origin("install.groups").isPresent()) {
                throw new InstallException(definition.origin("install.groups").get() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private RenderModel model(ResolvedInstance resolved, Path releaseDir, boolean sealed) {
        Definition definition = resolved.definition();
        return new RenderModel(
                definition.tree(),
                resolved.modules().toMap(sealed),
                resolved.modules().serviceInstances().stream().map(ServiceInstance::toMap).toList(),
                config.project(),
                definition.instance(),
                definition.layers().stream().map(Definition.Layer::name).toList(),
                releaseDir);
    }

    private static List<String> secrets(ResolvedInstance resolved) {
        return resolved.modules().all().stream().map(Module::password).map(Secret::reveal).toList();
    }

    private Path releaseDir(String instance) {
        return config.releaseRoot().resolve(instance);
    }

    private Modules modules(Definition definition, StateSession state) {
        return modules(definition, state, sourceFiles());
    }

    private Modules modules(Definition definition, StateSession state, SourceFiles sources) {
        ModuleResolver modules = new ModuleResolver(definition, state);
        return resolver.modules(file -> sources.parsed(file, DocumentReader::read)).map(modules::resolve)
                .orElse(Modules.none());
    }

    /**
     * The effective definition of an instance: every value with the layer and line that set it and
     * what it shadowed, its modules and its state. Writes nothing, not even new state: passwords the
     * state does not hold yet read {@code (not generated yet)}.
     *
     * @param showSecrets {@code true} to print passwords and secret-named values; otherwise they read {@code ****}
     */
    public Description describe(String instance, boolean showSecrets) {
        Definition definition = resolver.resolve(instance);
        try (StateSession state = states.peek(definition.stateName())) {
            StoredState stored = new StoredState(state.file(), state.passwords(), state.serviceInstances());
            return new Describer(config.project().basedir(), showSecrets)
                    .describe(definition, modules(definition, state), stored);
        }
    }

    /**
     * Why {@code key} of an instance has its value: the winning value and its origin, every value it
     * shadowed in layer order, and every line of the instance's templates that uses it. Writes nothing.
     *
     * @param key a dotted key, e.g. {@code db.host}
     * @param showSecrets {@code true} to print a secret-named value as it is
     */
    public Explanation explain(String instance, String key, boolean showSecrets) {
        Definition definition = resolver.resolve(instance);
        try (StateSession state = states.peek(definition.stateName())) {
            ResolvedInstance resolved = new ResolvedInstance(definition, modules(definition, state));
            return new Describer(config.project().basedir(), showSecrets).explain(definition, key, templates(resolved));
        }
    }

    /** Each instance with its layers, deploy targets and nodes; an instance that does not resolve is an error entry. */
    public InstanceList list(List<String> instances) {
        List<ListedInstance> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String instance : instances) {
            try {
                rows.add(ListedInstance.of(resolver.resolve(instance)));
            } catch (FacsimileException e) {
                errors.add(e.getMessage());
            }
        }
        return new InstanceList(rows, errors);
    }

    /** The template files the {@code tmpl} groups select for an instance; artifact and copy groups are not planned. */
    private List<Path> templates(ResolvedInstance resolved) {
        ProjectContext project = config.project();
        Path releaseDir = releaseDir(resolved.name());
        InstallInputs inputs = new InstallInputs(
                resolver.sources().directory(),
                releaseDir,
                resolved.name(),
                resolved.modules().toMap(true),
                OperatingSystem.current(),
                new PathTokens(project.basedir(), project.buildDirectory(), releaseDir.resolve(RenderModel.DEPLOY_TREE)),
                coordinates -> {
                    throw new IllegalStateException("template groups resolve no artifact");
                },
                null,
                project.projectName(),
                project.version());
        List<InstallGroup> groups = InstallGroups.from(resolved.definition().tree()).stream()
                .filter(InstallGroup.Templates.class::isInstance)
                .toList();
        return InstallPlanner.plan(groups, inputs).actions().stream()
                .filter(InstallAction.Render.class::isInstance)
                .map(action -> ((InstallAction.Render) action).template())
                .distinct()
                .toList();
    }
}

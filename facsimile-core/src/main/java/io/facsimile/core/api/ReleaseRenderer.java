package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.bundle.BundleException;
import io.facsimile.core.bundle.Sealer;
import io.facsimile.core.check.OutputChecker;
import io.facsimile.core.check.OutputProblem;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.incremental.FileState;
import io.facsimile.core.incremental.Fingerprint;
import io.facsimile.core.incremental.OutputRecord;
import io.facsimile.core.incremental.ReleaseDirChanges;
import io.facsimile.core.incremental.ReleaseStamp;
import io.facsimile.core.incremental.RenderInputs;
import io.facsimile.core.incremental.ResolutionKey;
import io.facsimile.core.incremental.ResolutionKeys;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.incremental.UnchangedRun;
import io.facsimile.core.install.ArtifactResolver;
import io.facsimile.core.install.FileDigests;
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
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestWriter;
import io.facsimile.core.release.ReleaseDir;
import io.facsimile.core.schema.DefinitionSchema;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.template.RenderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;

/**
 * Renders releases: the real release dir of an instance, the sealed copy a bundle is made from,
 * and the in-memory rendering {@code validate} checks. The output checks of {@code validate} guard
 * every rendering that is written: a release that fails them is not written at all.
 */
final class ReleaseRenderer {

    private final FacsimileRun run;

    ReleaseRenderer(FacsimileRun run) {
        this.run = run;
    }

    FacsimileRun run() {
        return run;
    }

    /** Resolves and renders each instance in memory and collects every error; writes nothing. */
    Validation validate(List<String> instances, ArtifactResolver artifacts) {
        SourceFiles sources = run.sourceFiles();
        List<String> summaries = new ArrayList<>();
        InstanceErrors errors = new InstanceErrors();
        for (String instance : instances) {
            try {
                Definition definition = run.unchecked(instance, sources);
                List<String> violations = DefinitionSchema.get().check(definition);
                violations.forEach(error -> errors.add(instance, error));
                if (violations.isEmpty()) {
                    deployErrors(definition).ifPresent(error -> errors.add(instance, error));
                }
                try (StateSession state = run.states().peek(definition.stateName())) {
                    ResolvedInstance resolved =
                            new ResolvedInstance(definition, run.modules(definition, state, sources));
                    FacsimileRun.strayOverlays(resolved).forEach(run.reporter()::warn);
                    Path releaseDir = run.releaseDir(instance);
                    InstallPlan plan = plan(resolved, releaseDir, artifacts, sources);
                    List<PreparedFile> files = new ArrayList<>();
                    List<FacsimileException> renderErrors = new InstallExecutor(
                                    run::templateEngine, run.templateLimits(), sources)
                            .check(plan, run.model(resolved, releaseDir, false), files);
                    renderErrors.forEach(error -> errors.add(instance, error.getMessage()));
                    if (renderErrors.isEmpty()) {
                        OutputChecker.check(plan, files).forEach(problem -> errors.add(instance, problem.toString()));
                        summaries.add(resolved.summary() + "; " + plan.actions().size() + " files");
                    }
                } catch (InstallException e) {
                    // the install planner repeating, in other words, what the schema said of install already
                    if (violations.stream().noneMatch(v -> v.contains(": install."))) {
                        throw e;
                    }
                }
            } catch (FacsimileException e) {
                errors.add(instance, e.getMessage());
            }
        }
        return new Validation(summaries, errors.messages());
    }

    /** What deploy would refuse in a definition the schema accepts, e.g. {@code nodes} without {@code home}. */
    private static Optional<String> deployErrors(Definition definition) {
        try {
            DeployWiring.spec(definition);
            return Optional.empty();
        } catch (FacsimileException e) {
            if (!e.isUserError()) {
                throw e;
            }
            return Optional.of(e.getMessage());
        }
    }

    /** validate's message for each output problem of an instance. */
    private static List<String> outputErrors(String instance, List<OutputProblem> problems) {
        return problems.stream().map(problem -> instance + ": " + problem).toList();
    }

    /**
     * @throws FacsimileException a user error naming each of {@code problems}, the rendered files' output
     *     problems, when there is one: nothing is written then
     */
    private static void requireNoOutputProblems(String instance, List<OutputProblem> problems) {
        List<String> errors = outputErrors(instance, problems);
        if (!errors.isEmpty()) {
            throw FacsimileException.userError(errors.size() + " problem(s) in the rendered files of " + instance
                    + ", nothing written (validate reports the same):\n" + String.join("\n", errors));
        }
    }

    /**
     * The release dir alone, which is all the render goal needs: an instance whose stamp shows that
     * nothing it was resolved from changed, and whose release dir is untouched, is not even resolved
     * again. Goals that use the resolved instance too resolve it first, so that both are of one moment.
     */
    Path renderUnlessCurrent(
            String instance, ArtifactResolver artifacts, SourceFiles sources, ReleaseDirChanges changes) {
        return renderUnlessCurrent(instance, artifacts, sources, changes, new UnchangedRun.Tally());
    }

    /** As {@link #renderUnlessCurrent(String, ArtifactResolver, SourceFiles, ReleaseDirChanges)}, telling {@code tally} what it found. */
    Path renderUnlessCurrent(
            String instance,
            ArtifactResolver artifacts,
            SourceFiles sources,
            ReleaseDirChanges changes,
            UnchangedRun.Tally tally) {
        sources.listing(); // taken before anything is read
        Path releaseDir = run.releaseDir(instance);
        if (unchanged(instance, releaseDir, sources, changes, tally)) {
            tally.current(instance);
            run.reporter().info(upToDate(instance, releaseDir));
            run.reporter()
                    .debug(instance
                            + ": not resolved again: its layers, state and environment variables are unchanged");
            notListedAgain(instance, releaseDir, changes);
            return releaseDir;
        }
        return renderRelease(instance, artifacts, sources, changes, tally, resolved -> {})
                .releaseDir();
    }

    /** An instance that the last run found up to date, when nothing changed since (see {@link UnchangedRun}). */
    Path upToDateAsLastRun(String instance) {
        Path releaseDir = run.releaseDir(instance);
        run.reporter().info(upToDate(instance, releaseDir));
        run.reporter().debug(instance + ": neither resolved nor listed again: " + NOTHING_CHANGED);
        return releaseDir;
    }

    /**
     * The rendered release of an instance that the last run found up to date, when nothing changed since
     * (see {@link UnchangedRun}): resolved without checking the schema again, as its stamp allows.
     */
    Rendered releaseAsLastRun(String instance, SourceFiles sources) {
        Path releaseDir = run.releaseDir(instance);
        FacsimileRun.Resolution resolution = run.unchangedResolution(instance, sources);
        run.reporter().info(upToDate(instance, releaseDir));
        run.reporter().debug(instance + ": not listed again: " + NOTHING_CHANGED);
        return new Rendered(resolution.resolved(), releaseDir, resolution.secrets());
    }

    private static final String NOTHING_CHANGED = "find saw nothing change in the definitions, shared and state"
            + " directories, the release dir or its stamp since the last run left it up to date";

    /**
     * The rendered release of an instance, for the goals that use the resolved instance too
     * ({@code deploy}, {@code diff}): when its stamp shows that nothing it was resolved from changed,
     * it is resolved without checking the schema again and without rendering.
     */
    Rendered renderedRelease(
            String instance, ArtifactResolver artifacts, SourceFiles sources, ReleaseDirChanges changes) {
        return renderedRelease(instance, artifacts, sources, changes, new UnchangedRun.Tally(), resolved -> {});
    }

    /**
     * As {@link #renderedRelease(String, ArtifactResolver, SourceFiles, ReleaseDirChanges)}, telling {@code tally}
     * what it found.
     *
     * @param resolvedFirst shown the resolved instance before its release is rendered, so that work which needs
     *     only the definition (logging in to the nodes) can start meanwhile; not called for an instance whose
     *     stamp shows it up to date before it is resolved
     */
    Rendered renderedRelease(
            String instance,
            ArtifactResolver artifacts,
            SourceFiles sources,
            ReleaseDirChanges changes,
            UnchangedRun.Tally tally,
            Consumer<ResolvedInstance> resolvedFirst) {
        sources.listing(); // taken before anything is read
        Path releaseDir = run.releaseDir(instance);
        if (unchanged(instance, releaseDir, sources, changes, tally)) {
            tally.current(instance);
            FacsimileRun.Resolution resolution = run.unchangedResolution(instance, sources);
            run.reporter().info(upToDate(instance, releaseDir));
            notListedAgain(instance, releaseDir, changes);
            return new Rendered(resolution.resolved(), releaseDir, resolution.secrets());
        }
        return renderRelease(instance, artifacts, sources, changes, tally, resolvedFirst);
    }

    /** Whether the stamp of {@code releaseDir} shows that nothing the instance is resolved from changed. */
    private boolean unchanged(
            String instance,
            Path releaseDir,
            SourceFiles sources,
            ReleaseDirChanges changes,
            UnchangedRun.Tally tally) {
        return RenderInputs.isCurrentByResolution(
                releaseDir, recorded -> run.resolutionKeys().again(instance, recorded, sources), changes, tally::seen);
    }

    private void notListedAgain(String instance, Path releaseDir, ReleaseDirChanges changes) {
        if (changes.foundUnchanged(releaseDir)) {
            run.reporter()
                    .debug(instance + ": release dir not listed again: find saw no entry in it change since its stamp");
        }
    }

    private String upToDate(String instance, Path releaseDir) {
        return instance + ": release dir up to date, nothing rewritten (no input changed) in " + run.shown(releaseDir);
    }

    /**
     * Resolves an instance and renders its release dir, then writes its {@code manifest.json}; all of it
     * holding the release dir's lock ({@link ReleaseDirLock}), so that another build rendering it waits.
     *
     * @param sources the run's source files, whose listing is taken before anything is read
     * @param changes which release dirs are known unchanged since their stamps listed them
     * @param tally told the inputs the instance's stamp was written for, which the run's record checks
     * @param resolvedFirst shown the resolved instance before anything is rendered
     * @throws FacsimileException a user error when the rendered files fail validate's output checks;
     *     nothing is written then
     */
    private Rendered renderRelease(
            String instance,
            ArtifactResolver artifacts,
            SourceFiles sources,
            ReleaseDirChanges changes,
            UnchangedRun.Tally tally,
            Consumer<ResolvedInstance> resolvedFirst) {
        // another build rendering the instance at once would write over its files, stamp and records
        try (ReleaseDirLock lock = ReleaseDirLock.take(
                run.releaseDir(instance),
                ReleaseDirLock.WAIT,
                message -> run.reporter().info(instance + ": " + message))) {
            sources.listing(); // taken before anything is read
            Path releaseDir = run.releaseDir(instance);
            FacsimileRun.Resolution resolution;
            if (RenderInputs.isResolvedAsBefore(
                    releaseDir, sources, recorded -> run.resolutionKeys().again(instance, recorded, sources))) {
                run.reporter()
                        .debug(instance + ": its layers, state and environment variables are those of the last"
                                + " rendering, which checked them against the schema: not checked again");
                resolution = run.unchangedResolution(instance, sources);
            } else {
                resolution = run.resolution(instance, sources);
            }
            ResolvedInstance resolved = resolution.resolved();
            resolvedFirst.accept(resolved);
            RenderModel model = run.model(resolved, releaseDir, false);
            // the properties the last rendering read: with the same inputs, its templates read them again
            ResolutionKey key = run.resolutionKeys()
                    .of(resolved.definition(), resolution.stateDigest(), sources, propertiesRead(releaseDir));
            RenderInputs inputs = inputs(resolved, model, key, sources);
            if (inputs.isCurrent(releaseDir, changes)) {
                inputs.rekey(releaseDir); // resolved to the same from changed inputs: the next run need not resolve
                tally.rendered(instance, inputs.digest(), inputs.resolution());
                run.reporter().info(upToDate(instance, releaseDir));
                return new Rendered(resolved, releaseDir, resolution.secrets());
            }
            // what the last rendering left, read before anything is written: unchanged files are not read again
            OutputRecord previous = OutputRecord.read(releaseDir);
            Optional<Rendered> refreshed = refreshCopies(resolution, inputs, previous, sources, changes, tally);
            if (refreshed.isPresent()) {
                return refreshed.get();
            }
            ReleaseStamp.invalidate(releaseDir);
            OutputRecord.invalidate(releaseDir);
            InstallPlan plan = plan(resolved, releaseDir, artifacts, sources);
            InstallExecutor executor = new InstallExecutor(run::templateEngine, run.templateLimits(), sources);
            // a file holding a secret is owner-only from its creation on, here and (by the manifest) on the node
            List<PreparedFile> files =
                    InstallExecutor.secretsOwnerOnly(executor.prepare(plan, model), resolution.secrets());
            // stamped with the properties these templates read, when they are not those the last rendering read
            List<String> readByTemplates = model.propertyReads().names(resolution.secrets());
            if (!ResolutionKeys.inputNames(resolved.definition(), readByTemplates)
                    .equals(key.environment())) {
                key = run.resolutionKeys()
                        .of(resolved.definition(), resolution.stateDigest(), sources, readByTemplates);
                inputs = inputs(resolved, model, key, sources);
            }
            Map<String, OutputRecord.Written> digests = FileDigests.of(files, previous, sources);
            List<PreparedFile> changed = files.stream()
                    .filter(file -> !previous.checked(file.destination(), digests.get(file.destination())))
                    .toList();
            run.reporter()
                    .debug(instance + ": " + (files.size() - changed.size()) + " of " + files.size()
                            + " files as the last rendering recorded them, not checked again");
            requireNoOutputProblems(instance, OutputChecker.check(plan, changed));
            InstallSummary summary = executor.write(
                    releaseDir,
                    files,
                    (destination, onDisk) -> previous.holds(
                            releaseDir, destination, digests.get(destination).sha256(), onDisk));
            // from the bytes just written, not by reading 10,000 files back
            Manifest manifest = manifest(files, digests);
            byte[] manifestJson = manifest.toJson();
            ManifestWriter.write(releaseDir, manifestJson);
            List<Path> read = new ArrayList<>(run.definitionFiles(resolved.definition()));
            read.addAll(plan.inputs());
            OutputRecord.record(
                    releaseDir,
                    digests,
                    sources,
                    inputs.record(releaseDir, read, sources, apart(inputs, plan, digests, sources)));
            tally.rendered(instance, inputs.digest(), inputs.resolution());
            reportWritten(
                    instance, releaseDir, summary.written(), summary.unchanged().size(), summary.removed());
            return new Rendered(
                    resolved, releaseDir, resolution.secrets(), new Rendered.WrittenManifest(manifest, manifestJson));
        }
    }

    private void reportWritten(
            String instance, Path releaseDir, List<String> written, int unchanged, List<String> removed) {
        run.reporter()
                .info(instance + ": "
                        + (written.isEmpty() && removed.isEmpty()
                                ? "release dir up to date, nothing rewritten"
                                : written.size() + " written, " + unchanged + " unchanged, " + removed.size()
                                        + " removed")
                        + " in " + run.shown(releaseDir));
        written.forEach(file -> run.reporter().debug("  wrote " + file));
        removed.forEach(file -> run.reporter().debug("  removed " + file));
    }

    /**
     * {@code inputs} apart from the contents of the rendering's copy sources, which its stamp keeps;
     * {@code null} when a copy source is not a plain file of this run's listing of the definitions
     * directory, or is also a template of the rendering (a template shipped beside its rendering): its
     * content is then an input of more than its copies.
     */
    private static RenderInputs.Apart apart(
            RenderInputs inputs, InstallPlan plan, Map<String, OutputRecord.Written> digests, SourceFiles sources) {
        Set<String> names = new HashSet<>();
        for (OutputRecord.Written written : digests.values()) {
            if (written.source() != null) {
                String name = sources.listedName(written.source().toString());
                if (name == null || sources.listedByName(name) == null) {
                    return null;
                }
                names.add(name);
            }
        }
        if (!names.isEmpty()) {
            for (InstallAction action : plan.actions()) {
                if (action instanceof InstallAction.Render render
                        && names.contains(sources.listedName(
                                render.template().toAbsolutePath().normalize().toString()))) {
                    return null;
                }
            }
        }
        return inputs.apart(sources, names);
    }

    /**
     * Renders the release dir by refreshing its copies alone, when its stamp shows that nothing but the
     * contents of its copy sources changed since the last rendering and that the release dir is as that
     * rendering left it: the copies whose sources changed are copied again, the manifest takes their new
     * digests, and nothing is planned, rendered or compared besides (the other files are those of the same
     * inputs). Empty when that is not so: the caller renders the full way, which finds the same.
     */
    private Optional<Rendered> refreshCopies(
            FacsimileRun.Resolution resolution,
            RenderInputs inputs,
            OutputRecord previous,
            SourceFiles sources,
            ReleaseDirChanges changes,
            UnchangedRun.Tally tally) {
        ResolvedInstance resolved = resolution.resolved();
        String instance = resolved.name();
        Path releaseDir = run.releaseDir(instance);
        Optional<CopyRefresh> copies = CopyRefresh.of(releaseDir, previous, sources);
        if (copies.isEmpty()) {
            return Optional.empty();
        }
        RenderInputs.Apart apart = inputs.apart(sources, copies.get().sourceNames());
        if (!inputs.isCurrentApart(releaseDir, apart, sources, changes)) {
            return Optional.empty();
        }
        Optional<List<PreparedFile>> changed = copies.get().changed(sources);
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        // read before anything is written: the sources of the changed copies (each read, whatever the record
        // says of it), and the manifest
        Map<String, OutputRecord.Written> digests = FileDigests.of(changed.get(), OutputRecord.none(), sources);
        Optional<Manifest> manifest = copies.get().manifest(digests);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        run.reporter()
                .debug(instance + ": only the contents of copied files changed since the last rendering: "
                        + changed.get().size() + " of " + copies.get().copies().size()
                        + " copies refreshed, nothing else planned or rendered");
        ReleaseStamp.invalidate(releaseDir);
        OutputRecord.invalidate(releaseDir);
        requireNoOutputProblems(instance, OutputChecker.checkCopies(changed.get()));
        InstallSummary written = new InstallExecutor(run::templateEngine, run.templateLimits(), sources)
                .replace(releaseDir, changed.get());
        byte[] manifestJson = manifest.get().toJson();
        ManifestWriter.write(releaseDir, manifestJson);
        // the copy sources are plain files of the listing (changed() found each there): none is watched
        Map<String, FileState> listed =
                inputs.record(releaseDir, run.definitionFiles(resolved.definition()), sources, apart);
        previous.recordRefreshed(releaseDir, digests, sources, listed);
        tally.rendered(instance, inputs.digest(), inputs.resolution());
        // the release's files: the stamp's listing of the release dir less the manifest, or the record's
        int files = listed.isEmpty()
                ? previous.entries().size()
                : listed.size() - (listed.containsKey(ReleaseDir.MANIFEST) ? 1 : 0);
        reportWritten(
                instance,
                releaseDir,
                written.written(),
                files - written.written().size(),
                List.of());
        return Optional.of(new Rendered(
                resolved,
                releaseDir,
                resolution.secrets(),
                new Rendered.WrittenManifest(manifest.get(), manifestJson)));
    }

    /**
     * The project properties the rendering stamped in {@code releaseDir} read (its definition and its
     * templates); none without a stamp.
     */
    private static List<String> propertiesRead(Path releaseDir) {
        ReleaseStamp stamp = ReleaseStamp.readBack(releaseDir);
        return stamp == null || stamp.resolution() == null ? List.of() : propertyNames(stamp.resolution());
    }

    /** The inputs of the real rendering of {@code model}, resolved as {@code key} says. */
    private RenderInputs inputs(ResolvedInstance resolved, RenderModel model, ResolutionKey key, SourceFiles sources) {
        return inputs(resolved, model, null, key, sources, propertyNames(key));
    }

    /** The project properties among the inputs {@code key} names (the others are environment variables). */
    private static List<String> propertyNames(ResolutionKey key) {
        return key.environment().stream()
                .filter(ProjectContext::isPropertyInput)
                .toList();
    }

    /**
     * Renders the sealed copy of a rendered release, in which every password of the state reads {@code ********},
     * and checks it holds none of the state's secrets; up to date when neither it nor its inputs changed.
     *
     * @return the sealed dir
     */
    Path renderSealedCopy(Rendered rendered, ArtifactResolver artifacts, SourceFiles sources) {
        ResolvedInstance resolved = rendered.resolved();
        Path sealedDir = run.config().releaseRoot().resolve(".sealed").resolve(resolved.name());
        List<String> secrets = rendered.secrets();
        // the seal compares with the real rendering and checks for these secrets: both are inputs
        // the paths templates see ($facs.releaseDir, deployDir) are the real release's: only secrets differ
        RenderModel model = run.model(resolved, rendered.releaseDir(), true);
        Object sealInputs = List.of(manifestBytes(rendered.releaseDir()), secrets);
        // the properties the real rendering read: its templates, seeing ******** for each secret, read the same
        List<String> read = propertiesRead(rendered.releaseDir());
        RenderInputs inputs = inputs(resolved, model, sealInputs, null, sources, read);
        // what changed in the sealed copy since its stamp listed it, an edit given back its time included
        ReleaseDirChanges changes = ReleaseDirChanges.walked(sealedDir);
        if (!inputs.isCurrent(sealedDir, changes)) {
            // or stamped with every property, when its templates read others: current while none changed
            RenderInputs all =
                    inputs(resolved, model, sealInputs, null, sources, List.of(ProjectContext.ALL_PROPERTIES_INPUT));
            if (all.isCurrent(sealedDir, changes)) {
                inputs = all;
            }
        }
        if (!inputs.isCurrent(sealedDir, changes)) {
            ReleaseStamp.invalidate(sealedDir);
            InstallPlan plan = plan(resolved, sealedDir, artifacts, sources);
            InstallExecutor executor = new InstallExecutor(run::templateEngine, run.templateLimits(), sources);
            executor.write(sealedDir, modesOf(rendered.releaseDir(), executor.prepare(plan, model)));
            if (!read.containsAll(model.propertyReads().names(secrets))) {
                // unless a template's course depends on a secret: then every property is an input of the seal
                inputs = inputs(
                        resolved, model, sealInputs, null, sources, List.of(ProjectContext.ALL_PROPERTIES_INPUT));
            }
            try {
                Sealer.seal(rendered.releaseDir(), sealedDir);
                // the archive holds exactly the sealed tree's files: checked here, before it exists
                Sealer.requireNoSecretsIn(sealedDir, secrets);
            } catch (BundleException e) {
                // a copied file holding a secret has its source's mode here: a refused copy is not left behind
                discard(sealedDir, e);
                throw e;
            }
            inputs.record(sealedDir, plan.inputs(), sources);
        }
        return sealedDir;
    }

    /** Deletes the sealed copy {@code dir} without following a link; what cannot be deleted is added to {@code failure}. */
    private static void discard(Path dir, BundleException failure) {
        try {
            PathUtils.deleteDirectory(dir);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The rendered files of the sealed copy with the modes of the real release: a file whose real
     * rendering holds a secret is owner-only there, and so is the placeholder that stands for it.
     */
    private static List<PreparedFile> modesOf(Path releaseDir, List<PreparedFile> sealed) {
        List<PreparedFile> result = new ArrayList<>(sealed.size());
        for (PreparedFile file : sealed) {
            Path real = releaseDir.resolve(file.destination());
            try {
                result.add(
                        file.source() == null && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
                                ? file.withPermissions(Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS))
                                : file);
            } catch (UnsupportedOperationException | IOException e) {
                result.add(file);
            }
        }
        return result;
    }

    /** The template files the {@code tmpl} groups select for an instance; other groups are not planned. */
    List<Path> templates(ResolvedInstance resolved) {
        ArtifactResolver none = coordinates -> {
            throw new IllegalStateException("template groups resolve no artifact");
        };
        InstallInputs inputs = installInputs(resolved, run.releaseDir(resolved.name()), true, none, run.sourceFiles());
        List<InstallGroup> groups = InstallGroups.from(resolved.definition().tree()).stream()
                .filter(InstallGroup.Templates.class::isInstance)
                .toList();
        return InstallPlanner.plan(groups, inputs).actions().stream()
                .filter(InstallAction.Render.class::isInstance)
                .map(action -> ((InstallAction.Render) action).template())
                .distinct()
                .toList();
    }

    /** The one way the inputs of an install plan are made. */
    private InstallInputs installInputs(
            ResolvedInstance resolved,
            Path releaseDir,
            boolean sealed,
            ArtifactResolver artifacts,
            SourceFiles sources) {
        ProjectContext project = run.project();
        return new InstallInputs(
                run.resolver().sources().directory(),
                releaseDir,
                resolved.name(),
                resolved.modules().toMap(sealed),
                OperatingSystem.current(),
                new PathTokens(
                        project.basedir(), project.buildDirectory(), releaseDir.resolve(RenderModel.DEPLOY_TREE)),
                artifacts,
                null,
                project.projectName(),
                project.version(),
                sources);
    }

    private InstallPlan plan(
            ResolvedInstance resolved, Path releaseDir, ArtifactResolver artifacts, SourceFiles sources) {
        InstallInputs inputs = installInputs(resolved, releaseDir, false, artifacts, sources);
        Definition definition = resolved.definition();
        try {
            String layer = definition
                    .origin("install.groups")
                    .map(origin -> origin + ": ")
                    .orElse("");
            InstallGroups.deprecations(definition.tree()).stream()
                    .map(layer::concat)
                    .filter(run::warnOnce)
                    .forEach(run.reporter()::warn);
            return InstallPlanner.plan(InstallGroups.from(definition.tree()), inputs);
        } catch (InstallException e) {
            // install.groups is a list, so one layer set all of it: that layer is where to look
            if (e.isUserError() && definition.origin("install.groups").isPresent()) {
                throw new InstallException(definition.origin("install.groups").get() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The fingerprint of what rendering {@code model} into its release dir depends on: everything
     * its templates see, the install plan's inputs, and for a sealed copy what the seal depends on.
     *
     * @param sealInputs what the sealed copy depends on besides the model, {@code null} for the real rendering
     * @param resolution what the model was resolved from, {@code null} for the sealed copy
     * @param properties the project properties read ({@link ProjectContext#propertyInput}), whose values are inputs
     */
    private RenderInputs inputs(
            ResolvedInstance resolved,
            RenderModel model,
            Object sealInputs,
            ResolutionKey resolution,
            SourceFiles sources,
            List<String> properties) {
        Fingerprint values = RenderInputs.builder()
                .add("sealed", sealInputs != null)
                .add("seal", sealInputs)
                .add("definition", model.definition())
                .add("modules", model.modules())
                .add("services", model.services())
                .add("instance", model.instance())
                .add("layers", model.layers())
                .add("releaseDir", model.releaseDir().toAbsolutePath().toString())
                .add("project", ResolutionKeys.project(run.project()))
                // the properties read, by the templates or the definition (the environment variables it read
                // are in its values)
                .add("properties", ResolutionKeys.inputs(run.project(), properties))
                .add("platform", run.platform());
        boolean usesArtifacts;
        try {
            usesArtifacts = InstallGroups.from(resolved.definition().tree()).stream()
                    .anyMatch(InstallGroup.Artifact.class::isInstance);
        } catch (FacsimileException e) {
            usesArtifacts = true; // rendered the long way, which reports the error with its origin
        }
        return RenderInputs.of(values, sources, !usesArtifacts, resolution);
    }

    /** The manifest of the deploy tree the prepared files make, once written, from their digests. */
    private static Manifest manifest(List<PreparedFile> files, Map<String, OutputRecord.Written> digests) {
        String prefix = RenderModel.DEPLOY_TREE + "/";
        Map<String, Manifest.Digested> contents = new HashMap<>();
        Map<String, Set<PosixFilePermission>> modes = new HashMap<>();
        for (PreparedFile file : files) {
            if (file.destination().startsWith(prefix)) {
                String path = file.destination().substring(prefix.length());
                OutputRecord.Written digested = digests.get(file.destination());
                contents.put(path, new Manifest.Digested(digested.size(), digested.sha256()));
                if (file.permissions() != null) {
                    modes.put(path, file.permissions());
                }
            }
        }
        return Manifest.of(contents, modes);
    }

    private static byte[] manifestBytes(Path releaseDir) {
        Path manifest = releaseDir.resolve(ReleaseDir.MANIFEST);
        try {
            return Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw BundleException.broken("Cannot read " + manifest, e);
        }
    }
}

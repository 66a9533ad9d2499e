package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.definition.KnownInstances;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.NodeDiff;
import io.facsimile.core.deploy.NodeDrift;
import io.facsimile.core.deploy.NodeHistory;
import io.facsimile.core.describe.Description;
import io.facsimile.core.describe.Explanation;
import io.facsimile.core.describe.InstanceList;
import io.facsimile.core.incremental.ReleaseDirChanges;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.install.ArtifactResolver;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.template.TemplateLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a build tool calls: one object per project and run. Each method is one goal's work; the
 * caller turns its own parameters into a {@link FacsimileConfig} and maps {@link FacsimileException}s
 * to its own failures. The work is done by {@link ReleaseRenderer}, {@link Bundler},
 * {@link DeployWiring} and {@link Descriptions} over one {@link FacsimileRun}.
 */
public final class Facsimile {

    private final FacsimileRun run;
    private final ReleaseRenderer renderer;
    private final Bundler bundler;
    private final DeployWiring deploys;
    private final Descriptions descriptions;
    private final StateKeeping stateKeeping;

    public Facsimile(FacsimileConfig config, Reporter reporter) {
        this(config, reporter, TemplateLimits.DEFAULTS);
    }

    /** @param templateLimits how long an instance's templates may render and how long one file may grow */
    public Facsimile(FacsimileConfig config, Reporter reporter, TemplateLimits templateLimits) {
        this.run = new FacsimileRun(config, reporter, templateLimits);
        this.renderer = new ReleaseRenderer(run);
        this.bundler = new Bundler(renderer);
        this.deploys = new DeployWiring(run);
        this.descriptions = new Descriptions(renderer);
        this.stateKeeping = new StateKeeping(run);
    }

    /** What the goals of this facade share; for tests of this package. */
    FacsimileRun run() {
        return run;
    }

    /** The instances the definitions directory holds, sorted. */
    public List<String> instances() {
        return run.resolver().instances();
    }

    /**
     * The instances a run accepts: {@code configured} and those the layer files derive (did-you-mean for
     * others). Deriving them lists the definitions directory; while a render is being prepared
     * ({@link #prepareRender()}), the render takes that listing as its own rather than listing it again,
     * as if it had been called at that moment.
     */
    public KnownInstances knownInstances(List<String> configured) {
        return new KnownInstances(run.resolver(), configured, run::derivedInstances);
    }

    /**
     * Prepares the render of a goal that first chooses its instances: starts asking, beside the choice,
     * which release dirs had nothing changed since their stamps listed them (every stamped one; see
     * {@code ReleaseDirChanges}), and keeps the listing the choice takes. The render inside it takes
     * both once; closing it drops what was not taken.
     */
    public PreparedRender prepareRender() {
        run.prepareRender(true);
        return run::endPreparedRender;
    }

    /**
     * Prepares the deploy of one instance as {@link #prepareRender()} prepares a render, without asking
     * about every stamped release dir: only the record of the last run that found its instances up to
     * date is checked beside the goal's choice of its instance.
     */
    public PreparedRender prepareDeploy() {
        run.prepareRender(false);
        return run::endPreparedRender;
    }

    /**
     * Resolves an instance and its modules, generating and saving whatever its state lacks (new
     * passwords, uiids). Stored values are never changed.
     */
    public ResolvedInstance resolve(String instance) {
        return run.resolution(instance, run.sourceFiles()).resolved();
    }

    /**
     * Drops from an instance's state the passwords and service instances that no module of
     * {@code modules.yaml} claims any more ({@code -Dfacsimile.prune}); a normal run never does.
     *
     * @return the usernames and service instance names dropped
     */
    public List<String> prune(String instance) {
        return run.prune(instance);
    }

    /**
     * Replaces the password of module {@code module} of an instance with a new one ({@code facsimile:rotate});
     * the old one is kept retired in the state, so diff and deploy still mask it.
     */
    public void rotate(String instance, String module) {
        stateKeeping.rotate(instance, module);
    }

    /** Encrypts the plaintext state of an instance for {@code recipients} ({@code facsimile:state-encrypt}). */
    public Path encryptState(String instance, List<Recipient> recipients) {
        return stateKeeping.encrypt(instance, recipients);
    }

    /** Adds and removes recipients of an instance's encrypted state ({@code facsimile:state-keys}); returns who can read it. */
    public List<String> changeStateRecipients(String instance, List<Recipient> added, List<Recipient> removed) {
        return stateKeeping.changeRecipients(instance, added, removed);
    }

    /**
     * Starts the check for plaintext states that lie in a git work tree and that git does not ignore
     * ({@code git add -A} would stage every password); every goal runs inside it. The states are listed
     * now and git is asked beside the goal's work; closing the check waits for git and warns.
     */
    public StateExposure checkExposedStates() {
        return stateKeeping.checkExposedStates();
    }

    /**
     * Resolves and renders each instance in memory and collects every error of every instance;
     * writes nothing, not even new state.
     */
    public Validation validate(List<String> instances, ArtifactResolver artifacts) {
        return renderer.validate(instances, artifacts);
    }

    /**
     * Resolves an instance and renders its release dir, {@code <releaseRoot>/<instance>/}, then writes
     * its {@code manifest.json}. Files whose content is unchanged are not rewritten; an instance whose
     * stamp shows nothing changed is neither resolved nor rendered. A release whose files fail
     * validate's output checks is not written.
     *
     * @return the release dir
     */
    public Path render(String instance, ArtifactResolver artifacts) {
        return renderer.renderUnlessCurrent(
                instance, artifacts, run.sourceFiles(), run.releaseDirChanges(List.of(instance)));
    }

    /**
     * Renders several instances as {@link #render(String, ArtifactResolver)} does, one per core at a
     * time; after a failure no further instance starts.
     *
     * @return the release dirs, in the order of {@code instances}
     */
    public List<Path> render(List<String> instances, ArtifactResolver artifacts) {
        return render(instances, artifacts, FailurePolicy.FAIL_FAST);
    }

    /** Renders several instances; with {@link FailurePolicy#FAIL_AT_END} all of them, failing at the end. */
    public List<Path> render(List<String> instances, ArtifactResolver artifacts, FailurePolicy policy) {
        if (run.unchangedSinceLastRun(instances)) {
            return run.eachInstance(instances, policy, "ready in", renderer::upToDateAsLastRun);
        }
        SourceFiles sources = run.sourceFiles();
        ReleaseDirChanges changes = run.releaseDirChanges(instances);
        return run.recording(
                instances,
                tally -> run.eachInstance(
                        instances,
                        policy,
                        "ready in",
                        i -> renderer.renderUnlessCurrent(i, artifacts, sources, changes, tally)));
    }

    /**
     * Renders an instance and packages it into {@code <buildDir>/<artifactId>-<version>-<instance>.<ext>}.
     * Unless the request includes secrets, the archive is made from a second rendering in which every
     * state value reads {@code ********}, and is checked to hold none of the state's secrets.
     *
     * @return the archive
     */
    public Path bundle(String instance, BundleRequest request, ArtifactResolver artifacts) {
        return bundler.bundle(
                instance, request, artifacts, run.sourceFiles(), run.releaseDirChanges(List.of(instance)));
    }

    /**
     * Packages several instances as {@link #bundle(String, BundleRequest, ArtifactResolver)} does,
     * one per core at a time; after a failure no further instance starts.
     *
     * @return the archives, in the order of {@code instances}
     */
    public List<Path> bundle(List<String> instances, BundleRequest request, ArtifactResolver artifacts) {
        return bundle(instances, request, artifacts, FailurePolicy.FAIL_FAST);
    }

    /** Packages several instances; with {@link FailurePolicy#FAIL_AT_END} all of them, failing at the end. */
    public List<Path> bundle(
            List<String> instances, BundleRequest request, ArtifactResolver artifacts, FailurePolicy policy) {
        SourceFiles sources = run.sourceFiles();
        ReleaseDirChanges changes = run.releaseDirChanges(instances); // one find for all of them
        return run.eachInstance(
                instances, policy, "packaged", i -> bundler.bundle(i, request, artifacts, sources, changes));
    }

    /**
     * Renders an instance (rewriting nothing that is up to date) and deploys its deploy tree to its
     * nodes, or to {@code deploy.home} on this machine when it has none. A failed node does not stop
     * the others; the report says which failed and why.
     */
    public DeployReport deploy(String instance, DeployOptions options, ArtifactResolver artifacts) {
        // the first nodes are logged in to while the run checks whether anything changed, and renders
        return InstanceErrors.naming(instance, () -> {
            try (DeployWiring.Targets targets = deploys.targets(options)) {
                targets.ahead(instance, () -> run.beforehand(instance));
                return deploys.deploy(rendered(instance, artifacts, targets::resolved), options, targets);
            }
        });
    }

    /**
     * Switches the nodes of an instance back to the release deployed before the current one, or to the
     * release {@link DeployOptions#rollbackTo()} names.
     */
    public DeployReport rollback(String instance, DeployOptions options) {
        return InstanceErrors.naming(instance, () -> deploys.rollback(resolve(instance), options));
    }

    /** What a deploy would add, change and remove on each node, with a unified diff of text files, secrets masked. */
    public List<NodeDiff> diff(String instance, DeployOptions options, ArtifactResolver artifacts) {
        return InstanceErrors.naming(instance, () -> deploys.diff(rendered(instance, artifacts), options));
    }

    /** Each node's deploy log (who deployed what, when, how it ended, how long it took), oldest first. */
    public List<NodeHistory> history(String instance, DeployOptions options) {
        return InstanceErrors.naming(instance, () -> deploys.history(run.definition(instance), options));
    }

    /** Drift: each node's live files compared with the manifest of its current release. */
    public List<NodeDrift> verify(String instance, DeployOptions options) {
        return InstanceErrors.naming(instance, () -> deploys.verify(run.definition(instance), options));
    }

    /**
     * The effective definition of an instance: every value with the layer and line that set it and
     * what it shadowed, its modules and its state. Writes nothing, not even new state: passwords the
     * state does not hold yet read {@code (not generated yet)}.
     *
     * @param showSecrets {@code true} to print passwords and secret-named values; otherwise they read {@code ****}
     */
    public Description describe(String instance, boolean showSecrets) {
        return descriptions.describe(instance, showSecrets);
    }

    /**
     * Why {@code key} of an instance has its value: the winning value and its origin, every value it
     * shadowed in layer order, and every line of the instance's templates that uses it. Writes nothing.
     */
    public Explanation explain(String instance, String key, boolean showSecrets) {
        return descriptions.explain(instance, key, showSecrets);
    }

    /** Each instance with its layers, deploy targets and nodes; an instance that does not resolve is an error entry. */
    public InstanceList list(List<String> instances) {
        return descriptions.list(instances);
    }

    /** The rendered release of one instance, for the goals that use the resolved instance too. */
    private Rendered rendered(String instance, ArtifactResolver artifacts) {
        return rendered(instance, artifacts, resolved -> {});
    }

    /** As {@link #rendered(String, ArtifactResolver)}, showing {@code resolvedFirst} the instance before it renders. */
    private Rendered rendered(String instance, ArtifactResolver artifacts, Consumer<ResolvedInstance> resolvedFirst) {
        List<String> one = List.of(instance);
        if (run.unchangedSinceLastRun(one)) {
            return renderer.releaseAsLastRun(instance, run.sourceFiles());
        }
        SourceFiles sources = run.sourceFiles();
        ReleaseDirChanges changes = run.releaseDirChanges(one);
        return run.recording(
                one, tally -> renderer.renderedRelease(instance, artifacts, sources, changes, tally, resolvedFirst));
    }
}

package io.facsimile.maven;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.FacsimileConfig;
import io.facsimile.core.api.FailurePolicy;
import io.facsimile.core.api.PreparedRender;
import io.facsimile.core.api.StateExposure;
import io.facsimile.core.state.StateEncryption;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.template.TemplateLimits;
import io.facsimile.maven.internal.Failures;
import io.facsimile.maven.internal.InstanceSelection;
import io.facsimile.maven.internal.MavenReporter;
import io.facsimile.maven.internal.ProjectContexts;
import io.facsimile.maven.internal.PropertyNames;
import io.facsimile.maven.internal.StateKeys;
import java.io.File;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * What every goal shares: the skip switches, the locations of definitions and state, the choice of
 * instances, and the single place where core failures become Maven failures.
 */
public abstract class AbstractFacsimileMojo extends AbstractMojo {

    /** The Maven project. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The Maven session, for user properties. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /**
     * Skips every goal of this plugin. Each goal also has its own switch,
     * {@code facsimile.<goal>.skip}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    private boolean skip;

    /**
     * The directory of layers, templates and extra files. When not set, {@code src/main/facsimile} is
     * used, or {@code config/facsimile} when only that one exists.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DEFINITIONS_DIRECTORY)
    private File definitionsDirectory;

    /**
     * Extra directories of shared layers (for several projects of one conglomerate). They are
     * searched before the definitions directory and have lower precedence.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<File> sharedDefinitionsDirectories = new ArrayList<>();

    /**
     * Where generated state (passwords, service instance ids) is kept, one directory per state name.
     * Keep it out of version control but backed up: a lost state means new passwords.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.STATE_DIRECTORY, defaultValue = "${project.basedir}/.facsimile/state")
    private File stateDirectory;

    /**
     * Who a new state is encrypted for (a state that exists keeps its own recipients; change them with
     * {@code facsimile:state-keys}): age public keys {@code age1…} and {@code passphrase:<server id>}. When
     * empty, a new state is kept in clear in {@code stateDirectory}. Also the recipients of
     * {@code facsimile:state-encrypt}. On the command line, comma-separated.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.STATE_RECIPIENTS)
    private List<String> stateRecipients = new ArrayList<>();

    /**
     * Files holding age identities ({@code AGE-SECRET-KEY-1…}, as {@code age-keygen} writes them) that open
     * encrypted states; the environment variable {@code FACSIMILE_STATE_IDENTITY} may hold identities too (the
     * {@code AGE-SECRET-KEY-1…} lines themselves, not a file name). A
     * passphrase is read from the settings.xml {@code <server>} named by the recipient, else from
     * {@code FACSIMILE_STATE_PASSPHRASE}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.STATE_IDENTITY)
    private List<File> stateIdentities = new ArrayList<>();

    /**
     * Where encrypted states are kept, {@code <state name>.json} each. When not set,
     * {@code <definitions directory>/state}, so that they are committed with the definitions.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ENCRYPTED_STATE_DIRECTORY)
    private File encryptedStateDirectory;

    /** The user's settings, for the passphrases of encrypted states (not named {@code settings}: subclasses have one). */
    @Parameter(defaultValue = "${settings}", readonly = true)
    private Settings stateSettings;

    /** Decrypts settings.xml passwords ({@code mvn --encrypt-password}). */
    @Inject
    private SettingsDecrypter stateSettingsDecrypter;

    /**
     * The name of the project layer, {@code <projectName>.yaml}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PROJECT_NAME, defaultValue = "${project.artifactId}")
    private String projectName;

    /**
     * The instances this project builds, e.g. {@code dev.dev0}, {@code prod.eu1}: what {@code validate},
     * {@code render}, {@code package} and {@code list} work on, unless {@code -Dfacsimile.instances=} is
     * given. When empty, they take every instance the definitions directory holds.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> instances = new ArrayList<>();

    /**
     * Instances to work on instead of {@code <instances>}, comma-separated:
     * {@code -Dfacsimile.instances=dev.local,prod.eu1}. Each must be one of {@code <instances>} or have a
     * layer file for every segment.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.INSTANCES)
    private String instancesList;

    /**
     * The one instance of {@code deploy}, {@code rollback}, {@code diff}, {@code verify} and
     * {@code describe}: {@code -Dinstance=prod.eu1}. Goals that work on many instances are not narrowed
     * by it (use {@code -Dfacsimile.instances}), so {@code mvn package facsimile:deploy -Dinstance=dev}
     * packages every instance and deploys one.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.INSTANCE)
    private String instance;

    /**
     * The same as {@code -Dinstance=}, for builds that need a namespaced property: read from
     * {@code -Dfacsimile.instance=} only (read-only, so help lists one parameter for both).
     */
    @Parameter(defaultValue = "${" + PropertyNames.FACSIMILE_INSTANCE + "}", readonly = true)
    private String facsimileInstance;

    /**
     * Seconds the templates of one instance may take to render, together (fractions allowed:
     * {@code 0.5}). A template still rendering then fails naming itself and the line of its loop.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TEMPLATE_TIMEOUT, defaultValue = "60")
    private String templateTimeout;

    /**
     * The most characters one rendered file may have (64 Mi by default); more fails naming the template.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TEMPLATE_MAX_OUTPUT, defaultValue = "67108864")
    private long templateMaxOutput;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping: " + PropertyNames.SKIP + " is set");
            return;
        }
        if (isGoalSkipped()) {
            getLog().info("Skipping: " + String.format(java.util.Locale.ROOT, PropertyNames.GOAL_SKIP_FORMAT, goal())
                    + " is set");
            return;
        }
        if (hasNoDefinitions()) {
            getLog().info("Skipping " + project.getArtifactId() + ": it has no definitions directory"
                    + " (src/main/facsimile or config/facsimile)");
            return;
        }
        try {
            Facsimile facsimile = new Facsimile(config(), new MavenReporter(getLog()), templateLimits());
            try (PreparedRender prepared = prepare(facsimile);
                    StateExposure exposure = facsimile.checkExposedStates()) {
                run(facsimile);
            }
        } catch (FacsimileException e) {
            Exception mapped = Failures.toMojoException(e);
            if (mapped instanceof MojoFailureException failure) {
                throw failure;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    /**
     * A module of a reactor without definitions of its own, such as a pom-packaged parent: skipped, so
     * that a goal typed at the reactor root runs in the modules that have definitions. A directory
     * configured explicitly is never skipped: when it is missing, the goal says so.
     */
    private boolean hasNoDefinitions() {
        File basedir = project.getBasedir();
        return definitionsDirectory == null
                && sharedDefinitionsDirectories.isEmpty()
                && basedir != null
                && !new File(basedir, "src/main/facsimile").isDirectory()
                && !new File(basedir, "config/facsimile").isDirectory();
    }

    /**
     * What the goal starts before anything else, to run beside the check of exposed states and its own
     * step: nothing, unless the goal renders ({@link Facsimile#prepareRender()}).
     */
    protected PreparedRender prepare(Facsimile facsimile) {
        return () -> {};
    }

    /** The goal's one step. */
    protected abstract void run(Facsimile facsimile) throws MojoExecutionException, MojoFailureException;

    /** The goal's name, for its skip switch. */
    protected abstract String goal();

    /** {@code true} when the goal's own skip switch is set. */
    protected abstract boolean isGoalSkipped();

    /** The instance given with {@code -Dinstance=} (or {@code -Dfacsimile.instance=}), or {@code null}. */
    protected final String requestedInstance() {
        if (instance != null && !instance.isBlank()) {
            return instance.trim();
        }
        return facsimileInstance != null && !facsimileInstance.isBlank() ? facsimileInstance.trim() : null;
    }

    /**
     * The instances of a goal that works on many: {@code -Dfacsimile.instances=}, else {@code <instances>},
     * else every instance the definitions hold. A name typed on the command line that is neither
     * configured nor derivable fails before anything is resolved.
     */
    protected final List<String> selectedInstances(Facsimile facsimile) {
        List<String> selected =
                InstanceSelection.of(facsimile, instances, instancesList).many();
        String one = requestedInstance();
        if (one != null && !selected.equals(List.of(one))) {
            getLog().info(goal() + " works on " + String.join(", ", selected) + "; -Dinstance=" + one
                    + " only chooses the instance of deploy, rollback, history, diff, verify, describe, state-encrypt,"
                    + " state-keys and rotate (narrow this goal"
                    + " with -D" + PropertyNames.INSTANCES + "=" + one + ")");
        }
        return selected;
    }

    /**
     * Maven's {@code --fail-at-end} ({@code -fae}) for the instances of one goal too: all of them are worked on
     * and the goal fails at the end naming each that failed; otherwise the first failure stops the rest.
     */
    protected final FailurePolicy failurePolicy() {
        MavenExecutionRequest request = session == null ? null : session.getRequest();
        return request != null && MavenExecutionRequest.REACTOR_FAIL_AT_END.equals(request.getReactorFailureBehavior())
                ? FailurePolicy.FAIL_AT_END
                : FailurePolicy.FAIL_FAST;
    }

    /**
     * The one instance a goal such as {@code deploy} needs: {@code -Dinstance=}, else the only one of
     * {@code -Dfacsimile.instances=} or {@code <instances>}; fails listing the instances otherwise.
     */
    protected final String requiredInstance(Facsimile facsimile) throws MojoFailureException {
        return InstanceSelection.of(facsimile, instances, instancesList).one(requestedInstance(), goal());
    }

    private TemplateLimits templateLimits() throws MojoFailureException {
        try {
            long millis =
                    new BigDecimal(templateTimeout.trim()).movePointRight(3).longValueExact();
            return new TemplateLimits(Duration.ofMillis(millis), templateMaxOutput);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new MojoFailureException("templateTimeout (" + PropertyNames.TEMPLATE_TIMEOUT + ") must be a"
                    + " positive number of seconds, such as 60 or 0.5, and templateMaxOutput ("
                    + PropertyNames.TEMPLATE_MAX_OUTPUT + ") a positive number of characters; found "
                    + templateTimeout + " and " + templateMaxOutput);
        }
    }

    private FacsimileConfig config() {
        return new FacsimileConfig(
                ProjectContexts.of(project, session.getUserProperties(), projectName),
                definitionsDirectory == null ? null : definitionsDirectory.toPath(),
                sharedDefinitionsDirectories.stream().map(File::toPath).toList(),
                stateDirectory.toPath(),
                null,
                new StateEncryption(
                        encryptedStateDirectory == null ? null : encryptedStateDirectory.toPath(),
                        StateKeys.of(
                                stateSettings,
                                stateSettingsDecrypter,
                                stateIdentities.stream().map(File::toPath).toList(),
                                System.getenv()),
                        stateRecipients()));
    }

    /** Maven's decrypter of settings.xml passwords, for the goals that log in to nodes too. */
    protected final SettingsDecrypter settingsDecrypter() {
        return stateSettingsDecrypter;
    }

    /** The recipients of a new state and of {@code state-encrypt}, from {@code stateRecipients}. */
    protected final List<Recipient> stateRecipients() {
        return stateRecipients.stream()
                .filter(r -> !r.isBlank())
                .map(Recipient::parse)
                .toList();
    }
}

package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.FacsimileConfig;
import io.facsimile.core.api.FacsimileException;
import io.facsimile.maven.internal.Failures;
import io.facsimile.maven.internal.InstanceSelection;
import io.facsimile.maven.internal.MavenReporter;
import io.facsimile.maven.internal.ProjectContexts;
import io.facsimile.maven.internal.PropertyNames;
import io.facsimile.core.template.TemplateLimits;
import java.io.File;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

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
     */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    private boolean skip;

    /**
     * The directory of layers, templates and extra files. When not set, {@code src/main/facsimile} is
     * used, or {@code config/facsimile} when only that one exists.
     */
    @Parameter(property = PropertyNames.DEFINITIONS_DIRECTORY)
    private File definitionsDirectory;

    /**
     * Extra directories of shared layers (for several projects of one conglomerate). They are
     * searched before the definitions directory and have lower precedence.
     */
    @Parameter
    private List<File> sharedDefinitionsDirectories = new ArrayList<>();

    /**
     * Where generated state (passwords, service instance ids) is kept, one directory per state name.
     * Keep it out of version control but backed up: a lost state means new passwords.
     */
    @Parameter(property = PropertyNames.STATE_DIRECTORY, defaultValue = "${project.basedir}/.facsimile/state")
    private File stateDirectory;

    /** The name of the project layer, {@code <projectName>.yaml}. */
    @Parameter(property = PropertyNames.PROJECT_NAME, defaultValue = "${project.artifactId}")
    private String projectName;

    /**
     * The instances this project builds, e.g. {@code dev.dev0}, {@code prod.eu1}: what {@code validate},
     * {@code render}, {@code package} and {@code list} work on, unless {@code -Dfacsimile.instances=} is
     * given. When empty, they take every instance the definitions directory holds.
     */
    @Parameter
    private List<String> instances = new ArrayList<>();

    /**
     * Instances to work on instead of {@code <instances>}, comma-separated:
     * {@code -Dfacsimile.instances=dev.local,prod.eu1}. Each must be one of {@code <instances>} or have a
     * layer file for every segment.
     */
    @Parameter(property = PropertyNames.INSTANCES)
    private String instancesList;

    /**
     * The one instance of {@code deploy}, {@code rollback}, {@code diff}, {@code verify} and
     * {@code describe}: {@code -Dinstance=prod.eu1}. Goals that work on many instances are not narrowed
     * by it (use {@code -Dfacsimile.instances}), so {@code mvn package facsimile:deploy -Dinstance=dev}
     * packages every instance and deploys one.
     */
    @Parameter(property = PropertyNames.INSTANCE)
    private String instance;

    /** The same as {@code -Dinstance=}, for builds that need a namespaced property. */
    @Parameter(property = PropertyNames.FACSIMILE_INSTANCE)
    private String facsimileInstance;

    /**
     * Seconds the templates of one instance may take to render, together (fractions allowed:
     * {@code 0.5}). A template still rendering then fails naming itself and the line of its loop.
     */
    @Parameter(property = PropertyNames.TEMPLATE_TIMEOUT, defaultValue = "60")
    private String templateTimeout;

    /** The most characters one rendered file may have (64 Mi by default); more fails naming the template. */
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
        Facsimile facsimile = new Facsimile(config(), new MavenReporter(getLog()), templateLimits());
        try {
            run(facsimile);
        } catch (FacsimileException e) {
            Exception mapped = Failures.toMojoException(e);
            if (mapped instanceof MojoFailureException failure) {
                throw failure;
            }
            throw (MojoExecutionException) mapped;
        }
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
        List<String> selected = InstanceSelection.of(facsimile, instances, instancesList).many();
        String one = requestedInstance();
        if (one != null && !selected.equals(List.of(one))) {
            getLog().info(goal() + " works on " + String.join(", ", selected) + "; -Dinstance=" + one
                    + " only chooses the instance of deploy, rollback, diff, verify and describe (narrow this goal"
                    + " with -D" + PropertyNames.INSTANCES + "=" + one + ")");
        }
        return selected;
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
            long millis = new BigDecimal(templateTimeout.trim()).movePointRight(3).longValueExact();
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
                null);
    }
}

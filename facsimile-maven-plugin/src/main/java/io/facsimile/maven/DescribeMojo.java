package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.describe.DescriptionWriter;
import io.facsimile.maven.internal.PropertyNames;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the effective definition of one instance ({@code -Dinstance=prod.eu1}): every value with the
 * file and line that set it and the values of earlier layers it shadowed, the modules with their
 * resolved fields, and the state. With {@code -Dfacsimile.explain=db.host}, explains one key instead:
 * its value, its origin, every shadowed value in layer order and every template line that uses it.
 *
 * <p>Passwords and values under keys that name a secret ({@code password}, {@code token}, …) read
 * {@code ****} unless {@code -Dfacsimile.showSecrets} is given. Writes nothing, not even new state.
 *
 * @since 0.1.0
 */
@Mojo(name = "describe", requiresProject = true, threadSafe = true)
public class DescribeMojo extends AbstractReportMojo {

    /**
     * A dotted key to explain instead of printing the whole definition, e.g. {@code db.host} or
     * {@code deploy.nodes.db}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.EXPLAIN)
    private String explain;

    /**
     * Prints passwords of the state and secret-named values as they are. Off by default, so that a
     * build log never holds a secret.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SHOW_SECRETS, defaultValue = "false")
    private boolean showSecrets;

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.describe.skip", defaultValue = "false")
    private boolean skipDescribe;

    @Override
    protected void run(Facsimile facsimile) throws MojoExecutionException, MojoFailureException {
        String instance = requiredInstance(facsimile);
        if (showSecrets) {
            getLog().warn("Secrets are shown (" + PropertyNames.SHOW_SECRETS + "); do not share this output");
        }
        String report = explain == null || explain.isBlank()
                ? DescriptionWriter.write(facsimile.describe(instance, showSecrets), format())
                : DescriptionWriter.write(facsimile.explain(instance, explain.strip(), showSecrets), format());
        print(report);
    }

    @Override
    protected String goal() {
        return "describe";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipDescribe;
    }
}

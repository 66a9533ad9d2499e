package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.Validation;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks that every instance resolves and renders, in memory: nothing is written, not even new
 * state. Reports every error of every instance at once, then fails when there was any.
 *
 * @since 0.1.0
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends AbstractArtifactAwareMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.validate.skip", defaultValue = "false")
    private boolean skipValidate;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        Validation validation = facsimile.validate(selectedInstances(facsimile), artifactResolver());
        validation.summaries().forEach(getLog()::info);
        if (!validation.errors().isEmpty()) {
            int count = validation.errors().size();
            throw new MojoFailureException(count + (count == 1 ? " error" : " errors") + " in the definitions:\n  "
                    + String.join("\n  ", validation.errors()));
        }
    }

    @Override
    protected String goal() {
        return "validate";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipValidate;
    }
}

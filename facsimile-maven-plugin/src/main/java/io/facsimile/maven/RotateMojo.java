package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.maven.internal.PropertyNames;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Replaces the password of one module of an instance
 * ({@code mvn facsimile:rotate -Dinstance=prod -Dfacsimile.secret=proj0}). The old password stays in the
 * state as retired, so {@code diff} and {@code deploy} keep masking it; the next deploy puts the new one
 * in place.
 *
 * @since 0.1.0
 */
@Mojo(name = "rotate", requiresProject = true, threadSafe = true)
public class RotateMojo extends AbstractFacsimileMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.rotate.skip", defaultValue = "false")
    private boolean skipRotate;

    /**
     * The key of the module whose password is replaced.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SECRET)
    private String secret;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        String instance = requiredInstance(facsimile);
        if (secret == null || secret.isBlank()) {
            throw new MojoFailureException(
                    "rotate needs the module whose password to replace: -D" + PropertyNames.SECRET + "=<module key>");
        }
        facsimile.rotate(instance, secret.trim());
    }

    @Override
    protected String goal() {
        return "rotate";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipRotate;
    }
}

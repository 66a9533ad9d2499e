package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.PreparedRender;
import io.facsimile.maven.internal.PropertyNames;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Resolves each instance and renders its release dir, {@code target/facsimile/<instance>/}:
 * templates, extra files, the version file and {@code manifest.json}. New generated values are
 * saved in the state first; stored ones never change. Files whose content is unchanged are not
 * rewritten.
 *
 * @since 0.1.0
 */
@Mojo(name = "render", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class RenderMojo extends AbstractArtifactAwareMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.render.skip", defaultValue = "false")
    private boolean skipRender;

    /**
     * Before rendering, drops from the state the passwords and service instances of modules that are
     * no longer in {@code modules.yaml}. Off by default: a normal run never drops a stored value, so a
     * module removed by mistake keeps its password when it comes back.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.PRUNE, defaultValue = "false")
    private boolean prune;

    @Override
    protected PreparedRender prepare(Facsimile facsimile) {
        return facsimile.prepareRender();
    }

    @Override
    protected void run(Facsimile facsimile) {
        List<String> instances = selectedInstances(facsimile);
        if (prune) {
            instances.forEach(facsimile::prune);
        }
        facsimile.render(instances, artifactResolver(), failurePolicy());
    }

    @Override
    protected String goal() {
        return "render";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipRender;
    }
}

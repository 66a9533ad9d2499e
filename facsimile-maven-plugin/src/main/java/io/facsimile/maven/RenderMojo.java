package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * Resolves each instance and renders its release dir, {@code target/facsimile/<instance>/}:
 * templates, extra files, the version file and {@code manifest.json}. New generated values are
 * saved in the state first; stored ones never change. Files whose content is unchanged are not
 * rewritten.
 */
@Mojo(name = "render", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class RenderMojo extends AbstractArtifactAwareMojo {

    /** Skips this goal only. */
    @Parameter(property = "facsimile.render.skip", defaultValue = "false")
    private boolean skipRender;

    @Inject
    public RenderMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run(Facsimile facsimile) {
        for (String instance : selectedInstances(facsimile)) {
            facsimile.render(instance, artifactResolver());
        }
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

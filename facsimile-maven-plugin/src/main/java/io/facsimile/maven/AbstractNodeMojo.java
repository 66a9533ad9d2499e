package io.facsimile.maven;

import io.facsimile.core.api.DeployOptions;
import io.facsimile.maven.internal.PropertyNames;
import java.io.File;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/** A goal that works on the nodes of one instance: deploy, rollback, diff, verify. */
public abstract class AbstractNodeMojo extends AbstractArtifactAwareMojo {

    /**
     * Limits the goal to some targets of {@code deploy.nodes}, comma separated:
     * {@code -Dfacsimile.targets=frontend,db}. Empty: every target.
     */
    @Parameter(property = PropertyNames.TARGETS)
    private String targets;

    /** Prints what would happen and changes nothing on any node. */
    @Parameter(property = PropertyNames.DRY_RUN, defaultValue = "false")
    private boolean dryRun;

    /**
     * For an instance without {@code deploy.nodes}: a directory that {@code deploy.home} is placed
     * below, like make's {@code DESTDIR} ({@code /srv/shop} becomes {@code <destdir>/srv/shop}). Without
     * it, a relative {@code deploy.home} is taken relative to the project directory.
     */
    @Parameter(property = PropertyNames.DESTDIR)
    private File destdir;

    protected AbstractNodeMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    /** The options the core takes. */
    protected final DeployOptions deployOptions() {
        Set<String> selected = targets == null ? Set.of()
                : Arrays.stream(targets.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        return new DeployOptions(selected, dryRun, destdir == null ? null : destdir.toPath());
    }
}

package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.deploy.NodeDiff;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what {@code deploy} would change on each node of {@code -Dinstance=X}: files added, changed
 * and removed, and a unified diff of text files with every secret of the state masked as
 * {@code ****}. Changes nothing on any node.
 *
 * @since 0.1.0
 */
@Mojo(name = "diff", threadSafe = true)
public class DiffMojo extends AbstractNodeMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.diff.skip", defaultValue = "false")
    private boolean skipDiff;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        for (NodeDiff diff : facsimile.diff(requiredInstance(facsimile), deployOptions(), artifactResolver())) {
            getLog().info(diff.node().name() + ": " + diff.added().size() + " added, "
                    + diff.changed().size() + " changed, " + diff.removed().size() + " removed");
            diff.text().lines().forEach(getLog()::info);
        }
    }

    @Override
    protected String goal() {
        return "diff";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipDiff;
    }
}

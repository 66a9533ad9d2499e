package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.deploy.NodeHistory;
import io.facsimile.maven.internal.PropertyNames;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the deploy log of each node of {@code -Dinstance=X}: when, who, which release, how it ended
 * (ok, failed, rollback, reverted) and how long it took, newest last, with the node's current release.
 * Reads only; changes nothing and takes no lock.
 *
 * @since 0.1.0
 */
@Mojo(name = "history", threadSafe = true)
public class HistoryMojo extends AbstractNodeMojo {

    /**
     * How many of the newest entries to print per node; {@code 0} prints them all.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.LIMIT, defaultValue = "20")
    private int limit;

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.history.skip", defaultValue = "false")
    private boolean skipHistory;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        for (NodeHistory node : facsimile.history(requiredInstance(facsimile), deployOptions())) {
            node.table(Math.max(0, limit)).forEach(getLog()::info);
        }
    }

    @Override
    protected String goal() {
        return "history";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipHistory;
    }
}

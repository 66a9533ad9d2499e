package io.facsimile.maven;

import io.facsimile.core.api.DeployOptions;
import io.facsimile.core.api.Facsimile;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.maven.internal.PropertyNames;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Switches the nodes of {@code -Dinstance=X} back to the release deployed successfully before the
 * current one, or to the release {@code -Dfacsimile.to} names, and runs {@code postcmd} there. Fails
 * when there is no such release.
 *
 * @since 0.1.0
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractNodeMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.rollback.skip", defaultValue = "false")
    private boolean skipRollback;

    /**
     * The release to go to instead of the previous good one: a release id as {@code facsimile:history}
     * prints it ({@code 1.4.0-3f9a0c2e1b7d}), or a version of which the node holds one release
     * ({@code 1.4.0}). A release the node does not hold is refused, listing the ones it holds.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.TO)
    private String to;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        DeployReport report = facsimile.rollback(requiredInstance(facsimile), rollbackOptions());
        report.table().forEach(getLog()::info);
        // a broken run (a node unreachable, I/O) is an execution failure, a refused rollback a user error
        report.requireOk("rollback");
    }

    /** The deploy options with the release {@code -Dfacsimile.to} names, if any. */
    final DeployOptions rollbackOptions() {
        return deployOptions().withRollbackTo(to);
    }

    @Override
    protected String goal() {
        return "rollback";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipRollback;
    }
}

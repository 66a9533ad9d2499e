package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.describe.DescriptionWriter;
import io.facsimile.core.describe.InstanceList;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints a table of the instances ({@code -Dinstance=}, else {@code <instances>}, else every instance
 * the definitions hold) with their layers, and for each its deploy targets and nodes
 * ({@code deploy.nodes}); an instance without nodes deploys to the {@code local} target. Instances
 * that do not resolve are reported after the table and fail the build.
 *
 * @since 0.1.0
 */
@Mojo(name = "list", requiresProject = true, threadSafe = true)
public class ListMojo extends AbstractReportMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.list.skip", defaultValue = "false")
    private boolean skipList;

    @Override
    protected void run(Facsimile facsimile) throws MojoExecutionException, MojoFailureException {
        InstanceList list = facsimile.list(selectedInstances(facsimile));
        print(DescriptionWriter.write(list.instances(), format()));
        if (!list.errors().isEmpty()) {
            throw new MojoFailureException(
                    list.errors().size() + " instance(s) do not resolve:\n  " + String.join("\n  ", list.errors()));
        }
    }

    @Override
    protected String goal() {
        return "list";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipList;
    }
}

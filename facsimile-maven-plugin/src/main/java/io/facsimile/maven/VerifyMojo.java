package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.deploy.NodeDrift;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Drift check: compares the live files of the current release on each node of {@code -Dinstance=X}
 * with that release's manifest, lists changed, missing and extra files per node, and fails when any
 * node drifted.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", threadSafe = true)
public class VerifyMojo extends AbstractNodeMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.verify.skip", defaultValue = "false")
    private boolean skipVerify;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        List<NodeDrift> drifts = facsimile.verify(requiredInstance(facsimile), deployOptions());
        List<String> drifted = new ArrayList<>();
        for (NodeDrift drift : drifts) {
            if (!drift.drifted()) {
                getLog().info(drift.node().name() + ": release " + drift.release() + " matches its manifest");
                continue;
            }
            drifted.add(drift.node().name());
            getLog().warn(drift.node().name() + ": release " + drift.release() + " drifted");
            drift.changed().forEach(path -> getLog().warn("  changed " + path));
            drift.missing().forEach(path -> getLog().warn("  missing " + path));
            drift.extra().forEach(path -> getLog().warn("  extra   " + path));
        }
        if (!drifted.isEmpty()) {
            throw new MojoFailureException("Drift on " + String.join(", ", drifted)
                    + ": the live files differ from the release manifest; redeploy to repair");
        }
    }

    @Override
    protected String goal() {
        return "verify";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipVerify;
    }
}

package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.PreparedRender;
import io.facsimile.core.deploy.DeployReport;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Renders {@code -Dinstance=X} (rewriting nothing that is up to date) and deploys its deploy tree:
 * to {@code deploy.home} on this machine when the instance has no {@code deploy.nodes}, otherwise over
 * SSH to {@code deploy.home} on every node of {@code deploy.nodes} (login from the settings.xml
 * {@code <server>} {@code deploy.server}, default {@code facsimile.<instance>}; host keys checked
 * against {@code ~/.ssh/known_hosts}), {@code parallel} nodes at once in waves of {@code serial}. With
 * {@code strategy: releases} (default) the tree goes to {@code home/releases/<version>-<hash>/} and
 * {@code home/current} is switched atomically; {@code postcmd} then runs in the release, and a failure
 * switches back. A redeploy of identical content changes nothing.
 *
 * @since 0.1.0
 */
@Mojo(name = "deploy", threadSafe = true)
public class DeployMojo extends AbstractNodeMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.deploy.skip", defaultValue = "false")
    private boolean skipDeploy;

    @Override
    protected PreparedRender prepare(Facsimile facsimile) {
        return facsimile.prepareDeploy();
    }

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        DeployReport report = facsimile.deploy(requiredInstance(facsimile), deployOptions(), artifactResolver());
        report.table().forEach(getLog()::info);
        // a broken run (a node unreachable, I/O) is an execution failure, a refused deploy a user error
        report.requireOk();
    }

    @Override
    protected String goal() {
        return "deploy";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipDeploy;
    }
}

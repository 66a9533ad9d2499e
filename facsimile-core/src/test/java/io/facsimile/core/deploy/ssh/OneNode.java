package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.TransportFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Deploys a tree, as version 1.0, to the one node of a spec: for the tests of one SSH feature. */
final class OneNode {

    private OneNode() {}

    static NodeResult deploy(Path tree, DeploySpec spec, TransportFactory factory) {
        DeployEngine engine =
                new DeployEngine(new DeployListener() {}, "tester", Duration.ofSeconds(5), Clock.systemUTC());
        List<NodeResult> nodes = engine.deploy(DeployRequest.of(ReleaseSource.scan(tree, "1.0"), spec), factory)
                .nodes();
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }
}

package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static io.facsimile.core.testing.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.ProjectContext;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.EarlyTransports;
import io.facsimile.core.deploy.NodeAddress;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import io.facsimile.core.deploy.ssh.CredentialLookup;
import io.facsimile.core.deploy.ssh.HostKeyPolicy;
import io.facsimile.core.deploy.ssh.SshCredentials;
import io.facsimile.core.testing.RecordingReporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy logs in to its first SSH nodes while the release renders ({@code DeployWiring.Targets}): what
 * the user sees is as before, a failed login in the node's result after the render, and a render that
 * fails reported alone.
 */
class EarlyLoginTest {

    @TempDir
    Path basedir;

    private int closedPort;

    @BeforeEach
    void aPortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        write(basedir, "src/main/facsimile/facsimile.yaml", "app: {name: shop}");
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "deploy: {home: /srv/shop, nodes: {web: ['127.0.0.1:" + closedPort + "']}}");
    }

    private final RecordingReporter reporter = new RecordingReporter();

    private DeployReport deploy() {
        return deploy(id -> Optional.of(new SshCredentials("shop", null, null, null)), false);
    }

    private DeployReport deploy(CredentialLookup credentials, boolean acceptNewHostKeys) {
        return deploy(credentials, acceptNewHostKeys, Set.of());
    }

    private DeployReport deploy(CredentialLookup credentials, boolean acceptNewHostKeys, Set<String> targets) {
        return facsimile().deploy("prod", options(credentials, acceptNewHostKeys, targets), NO_ARTIFACTS);
    }

    private Facsimile facsimile() {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        return new Facsimile(FacsimileConfig.defaults(project), reporter);
    }

    private DeployOptions options(CredentialLookup credentials, boolean acceptNewHostKeys, Set<String> targets) {
        return new DeployOptions(
                targets,
                false,
                null,
                credentials,
                new HostKeyPolicy(basedir.resolve("known_hosts"), acceptNewHostKeys));
    }

    @Test
    void aLoginThatFailedWhileTheReleaseRenderedFailsTheNodeAfterTheRender() {
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");

        DeployReport report = deploy();

        assertThat(basedir.resolve("target/facsimile/prod/_DEPLOY_/etc/app.conf"))
                .hasContent("name=shop");
        NodeResult node = report.nodes().get(0);
        assertThat(node.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(node.reason())
                .contains("cannot connect to 127.0.0.1:" + closedPort)
                .contains("Connection refused");
        // the login was tried while the release rendered, by the task that opens it early
        assertThat(node.failure().getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(EarlyTransports.class.getName()));
    }

    @Test
    void anUnchangedRedeployLogsInWhileItChecksThatNothingChanged() {
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");
        deploy();
        reporter.info.clear();

        NodeResult node = deploy().nodes().get(0);

        assertThat(reporter.info).anyMatch(line -> line.startsWith("prod: release dir up to date"));
        assertThat(node.reason()).contains("Connection refused");
        // nothing rendered, yet the login was opened early: before the run knew that nothing changed
        assertThat(node.failure().getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(EarlyTransports.class.getName()));
    }

    @Test
    void targetsMadeAheadOfTheRunAreKeptOnlyForTheDeploySpecTheRunResolves() throws IOException {
        Facsimile facsimile = facsimile();
        DeployWiring wiring = new DeployWiring(facsimile.run());
        DeployOptions options = options(id -> Optional.empty(), false, Set.of());
        try (DeployWiring.Targets same = wiring.targets(options)) {
            same.ahead("prod", () -> facsimile.run().beforehand("prod"));
            same.made(facsimile.resolve("prod"));

            assertThat(same.transports()).isInstanceOf(EarlyTransports.class);
        }
        int moved;
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            moved = other.getLocalPort();
        }
        try (DeployWiring.Targets changed = wiring.targets(options)) {
            changed.ahead("prod", () -> facsimile.run().beforehand("prod"));
            assertThat(changed.transports()).isInstanceOf(EarlyTransports.class);
            // the layers change between the look ahead and the run's own resolution
            write(
                    basedir,
                    "src/main/facsimile/prod.yaml",
                    "deploy: {home: /srv/shop, nodes: {web: ['127.0.0.1:" + moved + "']}}");
            changed.made(facsimile.resolve("prod"));

            assertThat(changed.spec().nodes().get("web"))
                    .extracting(NodeAddress::port)
                    .containsExactly(moved);
            assertThat(changed.transports()).isNotInstanceOf(EarlyTransports.class);
        }
    }

    @Test
    void targetsMadeAheadTakeTheRunsOrderOfTheTargets() {
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "deploy: {home: /srv/shop, nodes: {web: ['127.0.0.1:" + closedPort + "'], api: ['127.0.0.2:"
                        + closedPort + "']}}");
        Facsimile facsimile = facsimile();
        try (DeployWiring.Targets targets =
                new DeployWiring(facsimile.run()).targets(options(id -> Optional.empty(), false, Set.of()))) {
            targets.ahead("prod", () -> facsimile.run().beforehand("prod"));
            // the same targets in another order: an equal spec, whose order makes the waves
            write(
                    basedir,
                    "src/main/facsimile/prod.yaml",
                    "deploy: {home: /srv/shop, nodes: {api: ['127.0.0.2:" + closedPort + "'], web: ['127.0.0.1:"
                            + closedPort + "']}}");
            targets.made(facsimile.resolve("prod"));

            assertThat(targets.transports()).isInstanceOf(EarlyTransports.class);
            assertThat(targets.spec().nodes().keySet()).containsExactly("api", "web");
        }
    }

    @Test
    void theSshClassesLoadAheadOnlyForAnInstanceWhoseDefaultServerTheSettingsHold() {
        SshCredentials shop = new SshCredentials("shop", null, null, null);

        assertThat(hasDefaultServer(id -> id.equals("facsimile.prod") ? Optional.of(shop) : Optional.empty()))
                .isTrue();
        assertThat(hasDefaultServer(id -> id.equals("facsimile.stage") ? Optional.of(shop) : Optional.empty()))
                .isFalse();
        // a hint only: a server that cannot be decrypted is the deploy's to report, if it uses it
        assertThat(hasDefaultServer(id -> {
                    throw new DeployException("cannot decrypt <server> " + id);
                }))
                .isFalse();
    }

    private boolean hasDefaultServer(CredentialLookup credentials) {
        return new DeployWiring(facsimile().run())
                .targets(options(credentials, false, Set.of()))
                .hasDefaultServer("prod");
    }

    @Test
    void aRenderThatFailsIsReportedAloneThoughTheLoginStartedBeforeIt() {
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.nosuch");

        assertThatThrownBy(() -> deploy(id -> Optional.empty(), false))
                .isInstanceOf(FacsimileException.class)
                .satisfies(
                        e -> assertThat(((FacsimileException) e).isUserError()).isTrue())
                .hasMessageContaining("app.conf")
                .hasMessageNotContaining("cannot connect");
        // what making the SSH targets says is said when the deploy gets to them, not during the render
        assertThat(reporter.info).noneMatch(line -> line.contains("no credentials stored"));
        assertThat(reporter.debug).noneMatch(line -> line.contains("SSH as"));
    }

    @Test
    void whatMakingTheTargetsSaysComesAfterTheDeployingLineAsBefore() {
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");

        deploy(id -> Optional.empty(), false);

        List<String> info = reporter.info;
        int deploying = indexOf(info, "prod: deploying to ");
        int credentials = indexOf(info, "prod: no credentials stored as facsimile.prod");
        assertThat(deploying).isNotNegative();
        assertThat(credentials).isGreaterThan(deploying);
        assertThat(info)
                .filteredOn(line -> line.contains("no credentials stored"))
                .hasSize(1);
    }

    @Test
    void nothingIsOpenedEarlyWhenNewHostKeysAreAccepted() {
        // a login records the host keys it accepts: a render that fails must not have recorded any
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");

        NodeResult node = deploy(id -> Optional.of(new SshCredentials("shop", null, null, null)), true)
                .nodes()
                .get(0);

        assertThat(node.reason()).contains("Connection refused");
        assertThat(node.failure().getStackTrace())
                .noneMatch(frame -> frame.getClassName().equals(EarlyTransports.class.getName()));
    }

    @Test
    void theFirstNodeIsLoggedInToWhileTheReleaseRendersEvenWhenTheRenderThenFails() throws IOException {
        try (ServerSocket node = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            node.setSoTimeout(10_000);
            write(
                    basedir,
                    "src/main/facsimile/prod.yaml",
                    "deploy: {home: /srv/shop, nodes: {web: ['127.0.0.1:" + node.getLocalPort() + "']}}");
            write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.nosuch");

            assertThatThrownBy(this::deploy).hasMessageContaining("app.conf");
            // the deploy never got to the node: only a login started before the render reaches it
            try (Socket login = node.accept()) {
                assertThat(login.isConnected()).isTrue();
            }
        }
    }

    @Test
    void anUnknownTargetIsRefusedAfterTheRenderAsBeforeThoughTheNodesAreReachedThroughAJumpHost() {
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "deploy: {home: /srv/shop, jump: 'bastion.invalid:22',",
                "  nodes: {web: ['127.0.0.1:" + closedPort + "']}}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");

        assertThatThrownBy(() -> deploy(id -> Optional.empty(), false, Set.of("nosuch")))
                .isInstanceOf(FacsimileException.class)
                .hasMessageContaining("facsimile.targets names \"nosuch\"");

        assertThat(basedir.resolve("target/facsimile/prod/_DEPLOY_/etc/app.conf"))
                .hasContent("name=shop");
        assertThat(reporter.info).anyMatch(line -> line.startsWith("prod: deploying to "));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}

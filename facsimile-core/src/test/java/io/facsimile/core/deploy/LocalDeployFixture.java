package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one fixture of a local deploy on real files: a temporary directory holding a rendered tree
 * ({@code release/_DEPLOY_}) and a deploy home ({@code srv/shop}), and an engine that reports to a
 * {@link RecordingListener}. A test class extends it and deploys with the local transport.
 */
abstract class LocalDeployFixture {

    @TempDir
    Path dir;

    Path tree;
    Path home;
    RecordingListener listener;
    List<String> lines;
    DeployEngine engine;

    @BeforeEach
    final void createFixture() {
        tree = dir.resolve("release/_DEPLOY_");
        home = dir.resolve("srv/shop");
        listener = newListener();
        lines = listener.lines;
        engine = newEngine(listener);
    }

    /** The listener the engine reports to; a test that records more overrides this. */
    RecordingListener newListener() {
        return new RecordingListener();
    }

    /** The engine under test: user {@code tester}, a 5 s lock wait, the system clock. */
    DeployEngine newEngine(DeployListener reportTo) {
        return new DeployEngine(reportTo, "tester", Duration.ofSeconds(5), Clock.systemUTC());
    }

    /** Writes {@code content} to {@code path} below the rendered tree. */
    Path write(String path, String content) {
        return TestFiles.writeString(tree.resolve(path), content);
    }

    /** The rendered tree as release {@code version}. */
    ReleaseSource source(String version) {
        return ReleaseSource.scan(tree, version);
    }

    /** The names in {@code home/releases/}, sorted. */
    List<String> releases() throws IOException {
        try (var s = Files.list(home.resolve("releases"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The local transport into the home. */
    TransportFactory local() {
        return LocalTransport.factory(home);
    }

    /** A deploy spec of {@code values} (the home given by the transport, not the spec). */
    static DeploySpec spec(Map<String, Object> values) {
        Map<String, Object> m = new HashMap<>(values);
        m.put("home", "unused");
        return DeploySpec.parse(m);
    }

    /** The result of the one node of {@code report}. */
    static NodeResult only(DeployReport report) {
        assertThat(report.nodes()).hasSize(1);
        return report.nodes().get(0);
    }
}

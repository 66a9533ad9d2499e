package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.reliability.Case;
import io.facsimile.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Links planted below a local deploy home: the deploy fails naming them and nothing outside changes. */
class DeployConfinementTest extends LocalDeployFixture {

    Path outside;

    @BeforeEach
    void setUp() {
        outside = TestFiles.writeString(dir.resolve("elsewhere/precious.txt"), "keep me\n")
                .getParent();
        write("etc/shop.conf", "password=s3cret\n");
    }

    NodeResult deploy(Map<String, Object> extra) {
        return engine.deploy(DeployRequest.of(source("1.0"), spec(extra)), local())
                .nodes()
                .get(0);
    }

    List<String> outsideFiles() throws IOException {
        try (Stream<Path> s = Files.walk(outside)) {
            return s.map(p -> outside.relativize(p).toString()).sorted().toList();
        }
    }

    void plant(String name) throws IOException {
        Path link = home.resolve(name);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, outside);
    }

    void assertRefused(NodeResult r, String link) throws IOException {
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains(home.resolve(link) + " is a symbolic link");
        assertThat(outsideFiles()).containsExactly("", "precious.txt");
        assertThat(outside.resolve("precious.txt")).hasContent("keep me");
    }

    @Test
    @Case("deploy.confined-links")
    void aMetaDirectoryLinkedOutsideReceivesNoDeployLog() throws IOException {
        plant(".facsimile");
        assertRefused(deploy(Map.of()), ".facsimile");
    }

    @Test
    @Case("deploy.confirm-log-link")
    void aDeployLogLinkedOutsideIsRefusedBeforeAnythingChanges() throws IOException {
        Path log = home.resolve(".facsimile/deploy-log.jsonl");
        Files.createDirectories(log.getParent());
        Files.createSymbolicLink(log, outside.resolve("precious.txt"));
        assertRefused(deploy(Map.of()), ".facsimile/deploy-log.jsonl");
        assertThat(home.resolve("current")).doesNotExist();
    }

    /**
     * The log swapped for a link just before the switch: without a postcmd, the switch and its line (locally
     * a rename and an append through the transport); with one, the command that confirms the switch and
     * appends the line. Neither appends through the link; the deploy fails naming it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Case("deploy.confirm-log-link")
    void aDeployLogLinkedOutsideJustBeforeTheSwitchIsNotAppendedTo(boolean postcmd) throws IOException {
        Path log = home.resolve(".facsimile/deploy-log.jsonl");
        Runnable swap = () -> {
            try {
                Files.deleteIfExists(log);
                Files.createDirectories(log.getParent());
                Files.createSymbolicLink(log, outside.resolve("precious.txt"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        List<String> swapped = new java.util.ArrayList<>();
        TransportFactory factory = node -> new ForwardingTransport(new LocalTransport(node, home), 0) {
            @Override
            public boolean switchAndLog(String link, String target, String logPath, String line) {
                swap.run();
                swapped.add("switch");
                return super.switchAndLog(link, target, logPath, line);
            }

            @Override
            public ExecResult exec(String dir, String command, Duration timeout) {
                if (command.contains("CONFIRMED")) {
                    swap.run();
                    swapped.add("confirm");
                }
                return super.exec(dir, command, timeout);
            }
        };
        Map<String, Object> extra = postcmd ? Map.of("postcmd", "true") : Map.of();

        NodeResult r = engine.deploy(DeployRequest.of(source("1.0"), spec(extra)), factory)
                .nodes()
                .get(0);

        assertThat(swapped).containsExactly(postcmd ? "confirm" : "switch");
        assertRefused(r, ".facsimile/deploy-log.jsonl");
    }

    @Test
    @Case("deploy.confined-links")
    void aRefusedLinkLeavesTheHomeUnlockedForTheNextDeploy() throws IOException {
        plant(".facsimile");
        assertRefused(deploy(Map.of()), ".facsimile");
        Files.delete(home.resolve(".facsimile"));
        // as impatient as can be: a lock the refused deploy still held would fail this one as busy
        engine = new DeployEngine(listener, "tester", Duration.ofMillis(200), Clock.systemUTC());
        assertThat(deploy(Map.of()).outcome()).isEqualTo(Outcome.DEPLOYED);
    }

    @Test
    @Case("deploy.confined-links")
    void aReleasesDirectoryLinkedOutsideReceivesNoRelease() throws IOException {
        plant("releases");
        assertRefused(deploy(Map.of()), "releases");
    }

    @Test
    @Case("deploy.confined-links")
    void aSyncTargetLinkedOutsideReceivesNoSecrets() throws IOException {
        plant("etc");
        assertRefused(deploy(Map.of("strategy", "sync")), "etc");
    }

    @Test
    @Case("deploy.confined-links")
    void aLinkPlantedInsideTheReleaseBeingStagedIsNotFollowed() throws IOException {
        NodeResult first = deploy(Map.of());
        assertThat(first.outcome()).isEqualTo(Outcome.DEPLOYED);
        // the current release's etc/ replaced by a link: the repair removes the link, never writes through it
        Path etc = home.resolve("releases/" + first.release() + "/etc");
        new LocalTransport(Node.LOCAL, home).remove("releases/" + first.release() + "/etc");
        Files.createSymbolicLink(etc, outside);
        NodeResult r = deploy(Map.of());
        assertThat(r.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(Files.isSymbolicLink(etc)).isFalse();
        assertThat(etc.resolve("shop.conf")).hasContent("password=s3cret");
        assertThat(outsideFiles()).containsExactly("", "precious.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"releases", "sync"})
    @Timeout(60) // a FIFO opened for reading blocks until a writer comes: the failure is hanging here
    @Case("deploy.scan-special-files")
    void aRenderedFileReplacedByAFifoOrALinkAfterRenderIsRefusedNamingIt(String strategy) throws Exception {
        ReleaseSource source = ReleaseSource.scan(tree, "1.0");
        Path conf = tree.resolve("etc/shop.conf");
        Files.delete(conf);
        assertThat(new ProcessBuilder("mkfifo", conf.toString()).start().waitFor())
                .isZero();

        NodeResult fifo = deploy(source, strategy);

        assertThat(fifo.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(fifo.reason()).contains(conf + " is a FIFO, socket or device", "Render the instance again");
        Files.delete(conf);
        Files.createSymbolicLink(conf, outside.resolve("precious.txt"));

        NodeResult link = deploy(source, strategy);

        assertThat(link.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(link.reason()).contains(conf + " is a symbolic link");
        assertThat(home.resolve("current")).doesNotExist();
        try (Stream<Path> s = Files.walk(home)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .doesNotContain("shop.conf");
        }
    }

    NodeResult deploy(ReleaseSource source, String strategy) {
        DeploySpec spec = DeploySpec.parse(Map.of("home", "unused", "strategy", strategy));
        return engine.deploy(DeployRequest.of(source, spec), LocalTransport.factory(home))
                .nodes()
                .get(0);
    }
}

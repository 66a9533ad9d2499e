package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.reliability.Case;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of a deploy: the connection dies half way through a file (after which every
 * call fails, as with a dead SSH session, so not even the clean-up gets through), a local file
 * cannot be read after the plan was made, and a run of failed releases against {@code keep}.
 */
class DeployFaultHardeningTest extends LocalDeployFixture {

    @BeforeEach
    void setUp() {
        write("etc/shop.conf", "port=1\n");
        write("lib/big.bin", "x".repeat(200_000));
        write("lib/old.txt", "only in the first release\n");
    }

    NodeResult deploy(DeploySpec spec, TransportFactory transports) {
        return only(engine.deploy(DeployRequest.of(source("1.0"), spec), transports));
    }

    NodeResult deploy(DeploySpec spec) {
        return deploy(spec, local());
    }

    /**
     * The local transport behind a connection that dies after {@code bytes} bytes of uploads: the upload
     * in progress stops half way (its stream fails) and every later call fails too.
     */
    TransportFactory cutAfter(long bytes, AtomicBoolean cut) {
        return node -> {
            Transport real = new LocalTransport(node, home);
            long[] sent = {0};
            return (Transport) Proxy.newProxyInstance(
                    Transport.class.getClassLoader(), new Class<?>[] {Transport.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("uploadAll") || name.equals("uploadCopyListAndHash")) {
                            // file by file through this proxy, so that the cut falls inside one upload
                            return InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        if (cut.get()
                                && !Set.of("node", "describeHome", "close").contains(name)) {
                            throw DeployException.io(name, new IOException("connection lost (test)"));
                        }
                        if (name.equals("upload")) {
                            args[1] = new FilterInputStream((InputStream) args[1]) {
                                @Override
                                public int read(byte[] b, int off, int len) throws IOException {
                                    if (sent[0] >= bytes) {
                                        cut.set(true);
                                        throw new IOException("connection lost mid-upload (test)");
                                    }
                                    int n = super.read(b, off, (int) Math.min(len, Math.max(1, bytes - sent[0])));
                                    sent[0] += Math.max(n, 0);
                                    return n;
                                }
                            };
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
    }

    Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    files.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    files.put(key, Manifest.sha256(p));
                }
            }
        }
        return files;
    }

    @Test
    @Case("deploy.connection-cut")
    void aConnectionLostMidUploadLeavesCurrentAndARerunCompletes() throws IOException {
        String first = deploy(DeploySpec.local("x")).release();
        Map<String, String> live = snapshot(home.resolve("releases/" + first));
        write("etc/shop.conf", "port=2\n");
        write("lib/big.bin", "y".repeat(200_000));
        AtomicBoolean cut = new AtomicBoolean();

        NodeResult failed = deploy(DeploySpec.local("x"), cutAfter(70_000, cut));

        assertThat(cut).as("the cut happened inside an upload").isTrue();
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(Files.readSymbolicLink(home.resolve("current")).toString()).isEqualTo("releases/" + first);
        assertThat(snapshot(home.resolve("releases/" + first))).isEqualTo(live);
        // The half-sent release is at most a .partial (the clean-up could not reach the node): never activated.
        try (Stream<Path> releases = Files.list(home.resolve("releases"))) {
            assertThat(releases.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.equals(first) || n.endsWith(".partial"));
        }

        NodeResult rerun = deploy(DeploySpec.local("x"));
        assertThat(rerun.outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("current/lib/big.bin")).hasContent("y".repeat(200_000));
        assertThat(home.resolve("current/etc/shop.conf")).hasContent("port=2\n");
        // + the release's manifest, its quick-check record and the record's digest
        assertThat(Manifest.scan(home.resolve("current").toRealPath()).files())
                .hasSize(Manifest.scan(tree).files().size() + 3);
        try (Stream<Path> releases = Files.list(home.resolve("releases"))) {
            assertThat(releases.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    @Case("deploy.connection-cut")
    void syncCutMidUploadLeavesNoHalfWrittenFile() throws IOException {
        DeploySpec sync = spec(Map.of("strategy", "sync"));
        deploy(sync);
        Map<String, String> before = snapshot(home);
        write("lib/big.bin", "y".repeat(200_000));
        AtomicBoolean cut = new AtomicBoolean();

        NodeResult failed = deploy(sync, cutAfter(70_000, cut));

        assertThat(cut).isTrue();
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        // Each file is old or new, never a prefix of the new one; temporary files aside.
        String big = Files.readString(home.resolve("lib/big.bin"));
        assertThat(big).isIn("x".repeat(200_000), "y".repeat(200_000));
        assertThat(snapshot(home).get("lib/big.bin")).isEqualTo(before.get("lib/big.bin"));

        assertThat(deploy(sync).outcome()).isEqualTo(Outcome.DEPLOYED);
        assertThat(home.resolve("lib/big.bin")).hasContent("y".repeat(200_000));
    }

    @Test
    @Case("deploy.local-read-error")
    void aLocalFileThatCannotBeReadDeletesNothingOnTheNode() throws IOException {
        for (String strategy : List.of("releases", "sync")) {
            home = dir.resolve("srv/" + strategy);
            DeploySpec spec = spec(Map.of("strategy", strategy));
            assertThat(deploy(spec).outcome()).isEqualTo(Outcome.DEPLOYED);
            Map<String, String> before = snapshot(home);
            // The next tree drops old.txt (to be deleted on the node) and adds new.conf; new.conf is then lost
            // locally after the manifest was made (replaced by a directory: even root cannot read that).
            Files.delete(tree.resolve("lib/old.txt"));
            write("etc/new.conf", "new\n");
            ReleaseSource source = ReleaseSource.scan(tree, "1.0");
            Files.delete(tree.resolve("etc/new.conf"));
            Files.createDirectories(tree.resolve("etc/new.conf"));

            DeployReport report = engine.deploy(DeployRequest.of(source, spec), LocalTransport.factory(home));

            assertThat(report.nodes().get(0).outcome()).as(strategy).isEqualTo(Outcome.FAILED);
            assertThat(report.nodes().get(0).reason()).as(strategy).contains("new.conf");
            Map<String, String> after = snapshot(home);
            before.forEach((path, hash) -> {
                if (!path.startsWith(".facsimile")) {
                    assertThat(after.get(path))
                            .as(strategy + ": " + path + " still on the node")
                            .isEqualTo(hash);
                }
            });
            Files.delete(tree.resolve("etc/new.conf"));
            write("lib/old.txt", "only in the first release\n");
        }
    }

    @Test
    @Case("deploy.keep-failed")
    void fiveFailedReleasesWithKeep3NeverRemoveCurrentOrTheLastGood() throws IOException {
        String good = deploy(spec(Map.of("keep", 3))).release();
        write("etc/shop.conf", "port=good2\n");
        String lastGood = deploy(spec(Map.of("keep", 3))).release();
        for (int i = 0; i < 5; i++) {
            write("etc/shop.conf", "port=bad" + i + "\n");
            NodeResult failed = deploy(spec(Map.of("keep", 3, "postcmd", "exit 1")));
            assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(Files.readSymbolicLink(home.resolve("current")).toString())
                    .isEqualTo("releases/" + lastGood);
            assertThat(home.resolve("releases/" + lastGood + "/etc/shop.conf")).hasContent("port=good2\n");
            try (Stream<Path> releases = Files.list(home.resolve("releases"))) {
                // keep: 3 newest, plus current (the last good one) and its rollback target when older than those:
                // bounded however many deploys fail
                assertThat(releases.count()).as("after failure %d", i).isLessThanOrEqualTo(3 + 2);
            }
        }
        assertThat(home.resolve("releases/" + good))
                .as("rollback target of current")
                .exists();
        // And the failures in between do not confuse rollback's idea of the last good release.
        write("etc/shop.conf", "port=good3\n");
        assertThat(deploy(spec(Map.of("keep", 3))).outcome()).isEqualTo(Outcome.DEPLOYED);
        NodeResult back = engine.rollback(spec(Map.of("keep", 3)), Set.of(), Set.of(), LocalTransport.factory(home))
                .nodes()
                .get(0);
        assertThat(back.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(back.release()).isEqualTo(lastGood);
    }
}

package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose shell writes to standard error as it starts, before every command: bash run by sshd reads
 * {@code ~/.bashrc}, and one that warns (pyenv's "cannot rehash", a missing locale) is common. The answers
 * the deploy reads (the lock's, listings, hashes) are on standard output and must not be taken from it.
 */
class SshNoisyShellTest {

    private static final String NOISE = "pyenv: cannot rehash: could not acquire lock for 60 seconds";

    @TempDir
    static Path dir;

    static BashrcNode node;

    @BeforeAll
    static void start() throws Exception {
        node = BashrcNode.start(dir, "noisy", "echo '" + NOISE + "' >&2\n");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static NodeResult deploy(Path tree) {
        return node.deploy(tree, dir.resolve("srv/shop"));
    }

    @Test
    void deployAndTheDriftCheckReadTheNodesAnswersNotItsShellsWarnings() throws Exception {
        Path tree = dir.resolve("release/_DEPLOY_");
        for (int i = 0; i < 20; i++) {
            Path f = tree.resolve("etc/d" + (i % 3) + "/f" + i + ".conf");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "value=" + i + "\n", StandardCharsets.UTF_8);
        }

        NodeResult first = deploy(tree);
        node.assumeBashrcRead();

        assertThat(first.outcome()).as(first.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(dir.resolve("srv/shop/current/etc/d1/f1.conf")).hasContent("value=1");
        // the quick check lists the live release on the node: the warning must not be read as an entry
        NodeResult again = deploy(tree);
        assertThat(again.outcome()).as(again.reason()).isEqualTo(Outcome.UNCHANGED);
        // and a new file makes a release whose copied files were listed and hashed on the node
        Files.writeString(tree.resolve("etc/new.conf"), "new\n", StandardCharsets.UTF_8);
        NodeResult third = deploy(tree);
        assertThat(third.outcome()).as(third.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(dir.resolve("srv/shop/current/etc/new.conf")).hasContent("new");
    }
}

package io.facsimile.core.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one command that switches {@code current} and appends the deploy log's line (a deploy with no
 * postcmd and no health check) ends uncertainly, as a command killed on the node does (exit 137): the
 * deploy reads {@code current} back instead of trusting the exit status. The node's {@code ~/.bashrc},
 * which bash reads before each command sshd runs, ends that command before or after its switch.
 */
class SshUncertainSwitchTest {

    @TempDir
    static Path dir;

    static BashrcNode node;

    @BeforeAll
    static void start() throws Exception {
        Path mode = dir.resolve("mode");
        Files.writeString(mode, "none -\n");
        // "before <home>": ends the switch command at once; "after <home>": runs it with the deploy log set
        // aside (a directory stands in its way, so the command appends nothing); "appended <home>": runs it
        // whole, its answer (LOGGED) lost; each then ends it the same way, and leaves <home>.ended behind
        node = BashrcNode.start(
                dir,
                "uncertain",
                String.join(
                        "\n",
                        "case \"$BASH_EXECUTION_STRING\" in",
                        "  *'echo LOGGED'*)",
                        "    read -r m h < '" + mode + "'",
                        "    log=\"$h/.facsimile/deploy-log.jsonl\"",
                        "    case \"$m\" in",
                        "      before) : > \"$h.ended\"; exit 137 ;;",
                        "      after)",
                        "        : > \"$h.ended\"",
                        "        mv \"$log\" \"$log.aside\" && mkdir \"$log\"",
                        "        (eval \"$BASH_EXECUTION_STRING\") >/dev/null 2>&1",
                        "        rmdir \"$log\" && mv \"$log.aside\" \"$log\"",
                        "        exit 137 ;;",
                        "      appended) : > \"$h.ended\"; (eval \"$BASH_EXECUTION_STRING\") >/dev/null 2>&1; exit 137 ;;",
                        "    esac ;;",
                        "esac",
                        ""));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Deploys {@code tree} into {@code home}, the switch command ended as {@code mode} says. */
    private static NodeResult deploy(Path tree, Path home, String mode) throws IOException {
        Files.writeString(dir.resolve("mode"), mode + " " + home + "\n");
        return node.deploy(tree, home);
    }

    /** The first deploy into {@code home}, of content {@code version=1}, its switch command left alone. */
    private static NodeResult first(Path home) throws IOException {
        NodeResult first = deploy(tree(home.getFileName() + "-1", "version=1\n"), home, "none");
        node.assumeBashrcRead();
        assertThat(first.outcome()).as(first.reason()).isEqualTo(Outcome.DEPLOYED);
        return first;
    }

    /** A tree of one file holding {@code content}. */
    private static Path tree(String name, String content) throws IOException {
        Path tree = dir.resolve(name + "/_DEPLOY_");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/app.conf"), content);
        return tree;
    }

    /** The deploy log's lines that name {@code release}. */
    private static List<String> logged(Path home, String release) throws IOException {
        return Files.readAllLines(home.resolve(".facsimile/deploy-log.jsonl")).stream()
                .filter(l -> l.contains("\"release\":\"" + release + "\""))
                .toList();
    }

    private static String current(Path home) throws IOException {
        return Files.readSymbolicLink(home.resolve("current")).toString();
    }

    /** Whether the node's {@code ~/.bashrc} ended the switch command of a deploy into {@code home}. */
    private static boolean ended(Path home) {
        return Files.exists(home.resolveSibling(home.getFileName() + ".ended"));
    }

    /**
     * "after": the command switched and appended nothing; "appended": it switched and appended its line,
     * and only its answer was lost.
     */
    @ParameterizedTest
    @ValueSource(strings = {"after", "appended"})
    @io.facsimile.core.reliability.Case("deploy.switch-uncertain")
    void aSwitchCommandKilledAfterItsSwitchIsADeployReadBackFromCurrentAndLoggedOnce(String mode) throws IOException {
        Path home = dir.resolve("srv/" + mode);
        first(home);

        NodeResult second = deploy(tree(mode + "-2", "version=2\n"), home, mode);

        assertThat(ended(home)).isTrue();
        assertThat(second.outcome()).as(second.reason()).isEqualTo(Outcome.DEPLOYED);
        assertThat(current(home)).isEqualTo("releases/" + second.release());
        assertThat(home.resolve("current/etc/app.conf")).hasContent("version=2");
        // the command said nothing (no LOGGED): the line is in the log once, appended by whoever got to it
        assertThat(logged(home, second.release()))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("\"outcome\":\"ok\""));
    }

    @Test
    @io.facsimile.core.reliability.Case("deploy.switch-uncertain")
    void aSwitchCommandKilledBeforeItsSwitchFailsTheDeployAndLeavesTheReleaseThatWasLive() throws IOException {
        Path home = dir.resolve("srv/before");
        NodeResult first = first(home);

        NodeResult second = deploy(tree("before-2", "version=2\n"), home, "before");

        assertThat(ended(home)).isTrue();
        assertThat(second.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(second.reason()).contains("cannot switch current to", "exit 137");
        assertThat(current(home)).isEqualTo("releases/" + first.release());
        assertThat(home.resolve("current/etc/app.conf")).hasContent("version=1");
        // the release it tried, named in the reason, is logged as failed after the one that stays live
        String tried = second.reason().replaceAll("(?s).*current to releases/(\\S+) on .*", "$1");
        assertThat(tried).isNotEqualTo(first.release()).startsWith("1.0-");
        assertThat(Files.readAllLines(home.resolve(".facsimile/deploy-log.jsonl")))
                .last()
                .satisfies(l -> assertThat(l).contains("\"release\":\"" + tried + "\"", "\"outcome\":\"failed\""));
    }
}

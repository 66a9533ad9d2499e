package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployPlannerTest {

    private final DeployPlanner planner = new DeployPlanner();

    /** An entry whose content is named by a short hex tag, padded to a well-formed sha256. */
    private static ManifestEntry file(String path, String tag) {
        return new ManifestEntry(path, 10, "0644", "0".repeat(64 - tag.length()) + tag, false);
    }

    private static Manifest manifest(ManifestEntry... entries) {
        return new Manifest(List.of(entries));
    }

    @Test
    void firstDeploySendsEverything() {
        Manifest next = manifest(file("etc/a.conf", "aa"), file("bin/run", "bb"));
        DeployPlan plan = planner.plan("1.0", next, NodeState.empty(), DeploySpec.local("/x"));
        assertThat(plan.releaseId()).isEqualTo("1.0-" + next.treeHash().substring(0, 12));
        assertThat(plan.send()).extracting(ManifestEntry::path).containsExactly("bin/run", "etc/a.conf");
        assertThat(plan.reuse()).isEmpty();
        assertThat(plan.added()).hasSize(2);
        assertThat(plan.bytesToSend()).isEqualTo(20);
        assertThat(plan.upToDate()).isFalse();
    }

    @Test
    void unchangedFilesAreReusedFromTheCurrentReleaseEvenWhenMoved() {
        Manifest old = manifest(file("a", "1"), file("b", "2"), file("gone", "3"));
        Manifest next = manifest(file("a", "1"), file("b", "22"), file("moved/c", "3"));
        NodeState node = new NodeState(Optional.of("1.0-old"), Optional.of(old));
        DeployPlan plan = planner.plan("1.1", next, node, DeploySpec.local("/x"));
        assertThat(plan.send()).extracting(ManifestEntry::path).containsExactly("b");
        assertThat(plan.reuse())
                .extracting(r -> r.entry().path() + "<-" + r.from())
                .containsExactly("a<-a", "moved/c<-gone");
        assertThat(plan.changed()).containsExactly("b");
        assertThat(plan.added()).containsExactly("moved/c");
        assertThat(plan.remove()).containsExactly("gone");
        assertThat(plan.unchanged()).isEqualTo(1);
        assertThat(plan.bytesToSend()).isEqualTo(10);
    }

    @Test
    void aModeChangeIsAChangeAndNotReused() {
        Manifest old = manifest(file("run", "1"));
        Manifest next =
                manifest(new ManifestEntry("run", 10, "0755", file("run", "1").sha256(), false));
        DeployPlan plan =
                planner.plan("1", next, new NodeState(Optional.of("r"), Optional.of(old)), DeploySpec.local("/x"));
        assertThat(plan.changed()).containsExactly("run");
        assertThat(plan.send()).hasSize(1);
    }

    @Test
    void sameReleaseCurrentIsUpToDate() {
        Manifest next = manifest(file("a", "1"));
        String id = DeployPlanner.releaseId("1.0", next);
        DeployPlan plan =
                planner.plan("1.0", next, new NodeState(Optional.of(id), Optional.of(next)), DeploySpec.local("/x"));
        assertThat(plan.upToDate()).isTrue();
        assertThat(plan.summary()).contains("already live");
        assertThat(plan.unchanged()).isEqualTo(1);
        assertThat(plan.send()).isEmpty();
        assertThat(plan.reuse()).isEmpty();
        assertThat(plan.added()).isEmpty();
    }

    @Test
    void syncSendsOnlyChangesAndRemovesStaleButNotExcluded() {
        DeploySpec spec =
                DeploySpec.parse(Map.of("home", "/x", "strategy", "sync", "exclude", List.of("*.log", "tmp/")));
        Manifest live = manifest(file("a", "1"), file("stale", "2"), file("app.log", "3"), file("tmp/x", "4"));
        Manifest next = manifest(file("a", "1"), file("b", "5"), file("debug.log", "6"));
        DeployPlan plan = planner.plan("1", next, new NodeState(Optional.empty(), Optional.of(live)), spec);
        assertThat(plan.send()).extracting(ManifestEntry::path).containsExactly("b");
        assertThat(plan.remove()).containsExactly("stale");
        assertThat(plan.manifest().files()).extracting(ManifestEntry::path).containsExactly("a", "b");
        assertThat(plan.unchanged()).isEqualTo(1);
    }

    @Test
    void maxDeleteGuardsSync() {
        DeploySpec spec = DeploySpec.parse(Map.of("home", "/x", "strategy", "sync", "maxDelete", 1));
        Manifest live = manifest(file("a", "1"), file("b", "2"));
        assertThatThrownBy(
                        () -> planner.plan("1", manifest(), new NodeState(Optional.empty(), Optional.of(live)), spec))
                .hasMessageContaining("would delete 2 files, more than deploy.maxDelete (1)");
    }

    @Test
    void reservedPathsInTheTreeAreRefused() {
        assertThatThrownBy(() -> planner.plan(
                        "1", manifest(file(".facsimile/x", "1")), NodeState.empty(), DeploySpec.local("/x")))
                .hasMessageContaining(".facsimile/x");
    }
}

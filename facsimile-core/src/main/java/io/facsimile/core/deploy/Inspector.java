package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read-only operations on a node: diff (what a deploy would change) and verify (drift). */
final class Inspector {

    /** Files larger than this are not diffed line by line. */
    static final int MAX_DIFF_BYTES = 1 << 20;

    private final DeployPlanner planner = new DeployPlanner();
    private final ReleasesDeployer releases = new ReleasesDeployer();
    private final SyncDeployer sync = new SyncDeployer();
    private final ManifestJson manifests = new ManifestJson();
    private final UnifiedDiff unified = new UnifiedDiff(3);

    NodeDiff diff(NodeRun run, ReleaseSource source, DeploySpec spec) {
        Transport t = run.transport;
        boolean isReleases = spec.strategy() == Strategy.RELEASES;
        NodeState state = isReleases ? releases.state(t) : sync.state(t, spec);
        DeployPlan plan = planner.plan(source, state, spec);
        String base = isReleases ? state.currentRelease().map(Layout::release).orElse(null) : "";
        Map<String, ManifestEntry> rendered = source.manifest().byPath();
        StringBuilder text = new StringBuilder();
        for (String p : plan.added()) {
            text.append(fileDiff(run, p, Optional.empty(), Optional.of(local(source, rendered.get(p)))));
        }
        for (String p : plan.changed()) {
            text.append(fileDiff(run, p, remote(t, base, p), Optional.of(local(source, rendered.get(p)))));
        }
        for (String p : plan.remove()) {
            text.append(fileDiff(run, p, remote(t, base, p), Optional.empty()));
        }
        return new NodeDiff(run.node, plan, text.toString());
    }

    NodeDrift verify(NodeRun run, DeploySpec spec) {
        Transport t = run.transport;
        Manifest recorded;
        Manifest live;
        String release;
        if (spec.strategy() == Strategy.RELEASES) {
            NodeState state = releases.state(t);
            release = state.currentRelease()
                    .orElseThrow(() -> new DeployException("nothing is deployed to " + t.describeHome() + " on "
                            + run.node.name() + " (no current release), so there is nothing to verify"));
            recorded = state.manifest()
                    .orElseThrow(() -> new DeployException("release " + release + " on " + run.node.name() + " has no "
                            + Layout.RELEASE_MANIFEST + "; deploy again to verify it"));
            live = t.scan(Layout.release(release), SyncDeployer.live(spec));
        } else {
            recorded = SyncDeployer.recorded(t, manifests)
                    .orElseThrow(() -> new DeployException("nothing has been "
                            + "deployed to " + t.describeHome() + " on " + run.node.name() + " (no "
                            + Layout.SYNC_MANIFEST
                            + "), so there is nothing to verify"));
            release = recorded.treeHash().substring(0, DeployPlanner.HASH_DIGITS);
            live = sync.state(t, spec).manifest().orElseThrow();
        }
        Map<String, ManifestEntry> have = live.byPath();
        List<String> changed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ManifestEntry want : recorded.files()) {
            ManifestEntry h = have.remove(want.path());
            if (h == null) {
                missing.add(want.path());
            } else if (!h.sha256().equals(want.sha256()) || !h.mode().equals(want.mode())) {
                changed.add(want.path());
            }
        }
        List<String> extra = have.keySet().stream().sorted().toList();
        return new NodeDrift(run.node, release, changed, missing, extra);
    }

    private String fileDiff(NodeRun run, String path, Optional<byte[]> before, Optional<byte[]> after) {
        Optional<List<String>> a = before.isPresent() ? lines(before.get()) : Optional.of(List.of());
        Optional<List<String>> b = after.isPresent() ? lines(after.get()) : Optional.of(List.of());
        String oldName = before.isPresent() ? "a/" + path : "/dev/null";
        String newName = after.isPresent() ? "b/" + path : "/dev/null";
        if (a.isEmpty() || b.isEmpty()) {
            return "Binary files " + oldName + " and " + newName + " differ\n";
        }
        List<String> am = a.get().stream().map(run.masker::mask).toList();
        List<String> bm = b.get().stream().map(run.masker::mask).toList();
        String d = unified.diff(oldName, newName, am, bm);
        // A change of mode only (or of a masked secret) has no line to show; still name the file.
        return d.isEmpty() ? "Files " + oldName + " and " + newName + " differ in mode or masked content\n" : d;
    }

    private static Optional<byte[]> remote(Transport t, String base, String path) {
        return base == null ? Optional.empty() : t.readFile(Layout.join(base, path));
    }

    private static byte[] local(ReleaseSource source, ManifestEntry entry) {
        try (InputStream in = source.open(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw DeployException.io("cannot read " + source.tree().resolve(entry.path()), e);
        }
    }

    /** The lines of a text file, or empty for a binary (NUL bytes, not UTF-8) or very large one. */
    private static Optional<List<String>> lines(byte[] content) {
        if (content.length > MAX_DIFF_BYTES) {
            return Optional.empty();
        }
        for (byte b : content) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        if (text.isEmpty()) {
            return Optional.of(List.of());
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return Optional.of(lines);
    }
}

package io.facsimile.core.deploy;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One deploy, diff, rollback or verify on the nodes of a spec: the one request type of
 * {@link DeployEngine}.
 *
 * @param source what is deployed or diffed; {@code null} for rollback and verify, which work on what
 *     the nodes hold
 * @param spec the {@code deploy} settings
 * @param targets the targets to work on; empty for all ({@code -Dfacsimile.targets})
 * @param dryRun {@code true} to plan only and change nothing ({@code -Dfacsimile.dryRun})
 * @param secrets values masked as {@code ****} in postcmd output, diffs and messages
 * @param checksum check the node's files by content instead of the quick check ({@code -Dfacsimile.checksum})
 * @param force rollback: switch to a release that cannot be repaired all the same, with a warning
 *     ({@code -Dfacsimile.force})
 * @param rollbackTo rollback: the release to go to (an id, or a version the node holds one release of),
 *     or {@code null} for the previous good one ({@code -Dfacsimile.to})
 */
public record DeployRequest(
        ReleaseSource source,
        DeploySpec spec,
        Set<String> targets,
        boolean dryRun,
        Set<String> secrets,
        boolean checksum,
        boolean force,
        String rollbackTo) {

    public DeployRequest {
        Objects.requireNonNull(spec, "spec");
        targets = Set.copyOf(targets);
        secrets = Set.copyOf(secrets);
        rollbackTo = rollbackTo == null || rollbackTo.isBlank() ? null : rollbackTo.strip();
    }

    /** A deploy or diff request checked by the quick check, without force. */
    public DeployRequest(
            ReleaseSource source, DeploySpec spec, Set<String> targets, boolean dryRun, Set<String> secrets) {
        this(Objects.requireNonNull(source, "source"), spec, targets, dryRun, secrets, false, false, null);
    }

    /** A request for every target, not a dry run, without secrets. */
    public static DeployRequest of(ReleaseSource source, DeploySpec spec) {
        return new DeployRequest(source, spec, Set.of(), false, Set.of());
    }

    /** A rollback or verify request (no source) for every target, not a dry run, without secrets. */
    public static DeployRequest onNodes(DeploySpec spec) {
        return new DeployRequest(null, spec, Set.of(), false, Set.of(), false, false, null);
    }

    /** What is deployed or diffed, when this request has a source. */
    public Optional<ReleaseSource> release() {
        return Optional.ofNullable(source);
    }

    ReleaseSource requireSource() {
        return release().orElseThrow(() -> new IllegalArgumentException("a deploy or diff needs a release source"));
    }

    /** A copy that is (or is not) a dry run. */
    public DeployRequest withDryRun(boolean dry) {
        return new DeployRequest(source, spec, targets, dry, secrets, checksum, force, rollbackTo);
    }

    /** A copy with the secrets to mask. */
    public DeployRequest withSecrets(Set<String> values) {
        return new DeployRequest(source, spec, targets, dryRun, values, checksum, force, rollbackTo);
    }

    /** A copy limited to some targets (empty: all). */
    public DeployRequest withTargets(Set<String> selected) {
        return new DeployRequest(source, spec, selected, dryRun, secrets, checksum, force, rollbackTo);
    }

    /** A copy that checks the node's files by content ({@code true}) or by the quick check. */
    public DeployRequest withChecksum(boolean byContent) {
        return new DeployRequest(source, spec, targets, dryRun, secrets, byContent, force, rollbackTo);
    }

    /** A copy that (for rollback) switches to an unrepairable release all the same. */
    public DeployRequest withForce(boolean switchAnyway) {
        return new DeployRequest(source, spec, targets, dryRun, secrets, checksum, switchAnyway, rollbackTo);
    }

    /** A copy whose rollback goes to {@code release} (an id or a version), or to the previous good one for {@code null}. */
    public DeployRequest withRollbackTo(String release) {
        return new DeployRequest(source, spec, targets, dryRun, secrets, checksum, force, release);
    }
}

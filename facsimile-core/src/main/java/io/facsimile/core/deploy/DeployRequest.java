package io.facsimile.core.deploy;

import java.util.Objects;
import java.util.Set;

/**
 * One deploy (or diff) of a release to the nodes of a spec.
 *
 * @param source what is deployed
 * @param spec the {@code deploy} settings
 * @param targets the targets to deploy to; empty for all ({@code -Dfacsimile.targets})
 * @param dryRun {@code true} to plan only and change nothing ({@code -Dfacsimile.dryRun})
 * @param secrets values masked as {@code ****} in postcmd output, diffs and messages
 */
public record DeployRequest(ReleaseSource source, DeploySpec spec, Set<String> targets, boolean dryRun,
        Set<String> secrets) {

    public DeployRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(spec, "spec");
        targets = Set.copyOf(targets);
        secrets = Set.copyOf(secrets);
    }

    /** A request for every target, not a dry run, without secrets. */
    public static DeployRequest of(ReleaseSource source, DeploySpec spec) {
        return new DeployRequest(source, spec, Set.of(), false, Set.of());
    }

    /** A copy that is (or is not) a dry run. */
    public DeployRequest withDryRun(boolean dry) {
        return new DeployRequest(source, spec, targets, dry, secrets);
    }

    /** A copy with the secrets to mask. */
    public DeployRequest withSecrets(Set<String> values) {
        return new DeployRequest(source, spec, targets, dryRun, values);
    }
}

package io.facsimile.core.api;

import java.nio.file.Path;
import java.util.Set;

/**
 * How to run {@code deploy}, {@code rollback}, {@code diff} and {@code verify}.
 *
 * @param targets the targets of {@code deploy.nodes} to work on; empty for all
 * @param dryRun print what would happen and change nothing
 * @param destdir for a local deploy, a directory that {@code deploy.home} is placed below (like
 *     make's {@code DESTDIR}), or {@code null}
 */
public record DeployOptions(Set<String> targets, boolean dryRun, Path destdir) {

    public DeployOptions {
        targets = Set.copyOf(targets);
    }
}

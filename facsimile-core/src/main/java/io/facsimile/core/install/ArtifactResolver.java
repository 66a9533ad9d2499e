package io.facsimile.core.install;

import java.nio.file.Path;

/** Finds the file of an artifact for {@code type: artifact} install groups; supplied by the caller (the Maven plugin). */
@FunctionalInterface
public interface ArtifactResolver {

    /**
     * @param coordinates {@code groupId:artifactId[:type[:classifier]]:version}, or {@code project} for the
     *     project's own main artifact
     * @return the artifact's file
     * @throws InstallException when the artifact cannot be resolved (with a message naming the coordinates)
     */
    Path resolve(String coordinates);
}

package io.facsimile.maven.internal;

import io.facsimile.core.install.ArtifactResolver;
import io.facsimile.core.install.InstallException;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Resolves the artifacts of {@code type: artifact} install groups with Maven's own resolver and the
 * project's repositories; {@code project} is the project's own main artifact.
 */
public final class MavenArtifactResolver implements ArtifactResolver {

    private final RepositorySystem repositorySystem;
    private final RepositorySystemSession session;
    private final MavenProject project;

    public MavenArtifactResolver(
            RepositorySystem repositorySystem, RepositorySystemSession session, MavenProject project) {
        this.repositorySystem = repositorySystem;
        this.session = session;
        this.project = project;
    }

    @Override
    public Path resolve(String coordinates) {
        if ("project".equals(coordinates)) {
            if ("pom".equals(project.getPackaging())) {
                throw new InstallException("artifact: project can never work in " + project.getArtifactId()
                        + ": it resolves the project's own main artifact, and a module of packaging pom builds none;"
                        + " name the artifact as groupId:artifactId:version instead, or move the group to the module"
                        + " of packaging jar or war that builds it");
            }
            File file = project.getArtifact().getFile();
            if (file == null || !file.isFile()) {
                throw new InstallException(
                        "artifact: project needs the project's main artifact, which is not built yet;"
                                + " run the goal in or after the package phase (mvn package facsimile:…)");
            }
            return file.toPath();
        }
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new InstallException("artifact: \"" + coordinates
                    + "\" is not groupId:artifactId[:type[:classifier]]:version or project");
        }
        try {
            return repositorySystem
                    .resolveArtifact(
                            session, new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null))
                    .getArtifact()
                    .getFile()
                    .toPath();
        } catch (ArtifactResolutionException e) {
            throw new InstallException("artifact: " + coordinates + " cannot be resolved: " + e.getMessage());
        }
    }
}

package io.facsimile.maven;

import io.facsimile.core.install.ArtifactResolver;
import io.facsimile.maven.internal.MavenArtifactResolver;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;

/** A goal that renders, and so may resolve the artifacts of {@code type: artifact} install groups. */
public abstract class AbstractArtifactAwareMojo extends AbstractFacsimileMojo {

    /** Maven's resolver. */
    @Inject
    private RepositorySystem repositorySystem;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    private RepositorySystemSession repositorySession;

    /** Maven's resolver, for install groups of {@code type: artifact}. */
    protected final ArtifactResolver artifactResolver() {
        return new MavenArtifactResolver(repositorySystem, repositorySession, project);
    }
}

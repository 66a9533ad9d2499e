package io.facsimile.core.api;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.bundle.BundleWriter;
import io.facsimile.core.incremental.ReleaseDirChanges;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.install.ArtifactResolver;
import java.nio.file.Path;

/** Packages a rendered instance into its archive, from the sealed copy unless secrets are included. */
final class Bundler {

    private final ReleaseRenderer renderer;
    private final FacsimileRun run;

    /** Packages what {@code renderer} renders, for the run it renders for. */
    Bundler(ReleaseRenderer renderer) {
        this.renderer = renderer;
        this.run = renderer.run();
    }

    /** See {@link Facsimile#bundle(String, BundleRequest, ArtifactResolver)}. */
    Path bundle(
            String instance,
            BundleRequest request,
            ArtifactResolver artifacts,
            SourceFiles sources,
            ReleaseDirChanges changes) {
        // from the release through the sealed copy to the archive: another build packaging or rendering
        // the same instance at once would write over them
        try (ReleaseDirLock lock = ReleaseDirLock.take(
                run.releaseDir(instance),
                ReleaseDirLock.WAIT,
                message -> run.reporter().info(instance + ": " + message))) {
            Rendered rendered = renderer.renderedRelease(instance, artifacts, sources, changes);
            ProjectContext project = run.project();
            String base = BundleWriter.baseName(project.artifactId(), project.version(), instance);
            Path archive = project.buildDirectory().resolve(request.format().fileName(base));
            BundleWriter writer = new BundleWriter(request.format(), request.timestamp());
            if (request.includeSecrets()) {
                run.reporter()
                        .warn(instance + ": the bundle holds the real secrets of the state (bundleSecrets=include);"
                                + " whoever can read the repository it is published to can read them (the file itself is"
                                + " owner-only)");
                writer.write(rendered.releaseDir(), base, archive, true);
            } else {
                writer.write(renderer.renderSealedCopy(rendered, artifacts, sources), base, archive);
            }
            run.reporter()
                    .info(instance + ": packaged " + run.shown(archive)
                            + (request.includeSecrets() ? " (with secrets)" : " (secrets sealed)"));
            return archive;
        }
    }
}

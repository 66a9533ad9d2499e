package io.facsimile.core.deploy;

import io.facsimile.core.bundle.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What is deployed: a rendered deploy tree on this machine and its manifest.
 *
 * @param version the project version, the first part of the release id
 * @param manifest the manifest of the tree (as rendered; the engine verifies what it stages against it)
 * @param tree the deploy tree ({@code <release dir>/_DEPLOY_})
 */
public record ReleaseSource(String version, Manifest manifest, Path tree) {

    /** Name of the deploy tree inside a release dir. */
    public static final String DEPLOY_DIR = "_DEPLOY_";

    public ReleaseSource {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(tree, "tree");
    }

    /**
     * The release dir {@code target/facsimile/<instance>/}: its {@code manifest.json} and {@code _DEPLOY_}.
     *
     * @throws DeployException (a user error) when the release dir has not been rendered
     */
    public static ReleaseSource of(Path releaseDir, String version) {
        Path manifest = releaseDir.resolve(Manifest.FILE_NAME);
        Path tree = releaseDir.resolve(DEPLOY_DIR);
        if (!Files.isRegularFile(manifest) || !Files.isDirectory(tree)) {
            throw new DeployException(releaseDir + " holds no rendered release (" + Manifest.FILE_NAME + " and "
                    + DEPLOY_DIR + "/ expected); run facsimile:render for the instance first");
        }
        return new ReleaseSource(version, Manifest.read(manifest), tree);
    }

    /** A source whose manifest is computed by scanning {@code tree}. */
    public static ReleaseSource scan(Path tree, String version) {
        return new ReleaseSource(version, Manifest.scan(tree), tree);
    }
}

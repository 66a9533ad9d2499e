package io.facsimile.maven;

import io.facsimile.core.api.BundleRequest;
import io.facsimile.core.api.Facsimile;
import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.maven.internal.PropertyNames;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Packages each rendered instance into a reproducible archive,
 * {@code target/<artifactId>-<version>-<instance>.tar.gz}, and attaches it to the project with the
 * instance as classifier, so {@code mvn install} and {@code mvn deploy} publish it next to the main
 * artifact. Renders the instance first when its release dir is missing.
 *
 * <p>By default the attached bundle holds no secret: every value from the state is written as
 * {@code ********} and {@code manifest.json} marks those files {@code "sealed": true}. The release
 * dir in {@code target/facsimile/} keeps the real values for {@code deploy}.
 *
 * @since 0.1.0
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractArtifactAwareMojo {

    private final MavenProjectHelper projectHelper;

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.package.skip", defaultValue = "false")
    private boolean skipPackage;

    /**
     * The archive format: {@code tar.gz} or {@code zip}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.bundleFormat", defaultValue = "tar.gz")
    private String bundleFormat;

    /**
     * {@code seal} (default): state values are masked in the attached bundle. {@code include}: the
     * bundle holds the real secrets; anyone who can read the repository it is published to can read
     * them, so the build warns.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.bundleSecrets", defaultValue = "seal")
    private String bundleSecrets;

    /**
     * Entry times of the archive, for reproducible builds.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    /**
     * Attaches each bundle to the project with the instance as classifier, so {@code install} and
     * {@code deploy} publish it. {@code false} only writes the bundles into {@code target/}.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ATTACH, defaultValue = "true")
    private boolean attach;

    @Inject
    public PackageMojo(MavenProjectHelper projectHelper) {
        this.projectHelper = projectHelper;
    }

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        BundleRequest request = BundleRequest.of(BundleFormat.parse(bundleFormat), bundleSecrets, outputTimestamp);
        List<String> instances = selectedInstances(facsimile);
        requireNoOtherBundleOfTheSameName(instances, request);
        List<Path> archives = facsimile.bundle(instances, request, artifactResolver(), failurePolicy());
        instances.forEach(instance -> project.setContextValue(bundledKey(instance, request), request.includeSecrets()));
        if (!attach) {
            getLog().info("Not attaching " + archives.size() + " bundle(s): " + PropertyNames.ATTACH + " is false");
            return;
        }
        for (int i = 0; i < instances.size(); i++) {
            projectHelper.attachArtifact(
                    project,
                    request.format().extension(),
                    instances.get(i),
                    archives.get(i).toFile());
        }
    }

    /**
     * A second execution of this build that packages an instance already packaged with the other
     * {@code bundleSecrets} would overwrite that bundle, same file and same classifier, and the build would
     * publish whichever ran last: perhaps the one holding the real secrets. The same settings again write
     * the same bytes and are let through.
     */
    private void requireNoOtherBundleOfTheSameName(List<String> instances, BundleRequest request)
            throws MojoFailureException {
        for (String instance : instances) {
            Object earlier = project.getContextValue(bundledKey(instance, request));
            if (earlier != null && !earlier.equals(request.includeSecrets())) {
                throw new MojoFailureException("Instance " + instance + " was already packaged by this build with"
                        + " bundleSecrets=" + (Boolean.TRUE.equals(earlier) ? "include" : "seal") + "; packaging it"
                        + " again with bundleSecrets=" + bundleSecrets + " would overwrite that "
                        + request.format().extension() + " bundle (same file, same classifier). Remove one of the"
                        + " two package executions, or package another instance or format in the second");
            }
        }
    }

    private static String bundledKey(String instance, BundleRequest request) {
        return "facsimile.packaged." + request.format().extension() + "." + instance;
    }

    @Override
    protected String goal() {
        return "package";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipPackage;
    }
}

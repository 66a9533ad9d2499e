/**
 * Reproducible per-instance bundles (spec §7 end, §8): the archive of a release dir (whose manifest is a
 * {@code release} value) and sealing of secrets.
 *
 * <p>How the plugin's {@code package} goal uses it, for one instance:
 *
 * <pre>{@code
 * Path release = buildDir.resolve("facsimile").resolve(instance);       // rendered with real state
 * ManifestWriter.write(release, manifest);                              // done by render
 * BundleFormat format = BundleFormat.parse(formatParameter);             // "tar.gz" | "zip"
 * Instant time = OutputTimestamp.parse(properties.get("project.build.outputTimestamp"));
 * String base = BundleWriter.baseName(artifactId, version, instance);    // also the top directory
 * Path target = buildDir.resolve(format.fileName(base));                 // attach, classifier = instance
 *
 * Path tree = release;                                                   // bundleSecrets=include
 * if (sealing) {                                                         // the default
 *     // render the same instance again with every password of the state as Sealer.MASK into another dir
 *     tree = Sealer.seal(release, maskedRelease).root();
 * }
 * if (sealing) {
 *     Sealer.requireNoSecretsIn(tree, passwordsOfTheState);           // before the archive exists
 * }
 * new BundleWriter(format, time).write(tree, base, target);
 * }</pre>
 */
package io.facsimile.core.bundle;

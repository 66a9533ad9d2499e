package io.facsimile.core.bundle;

import io.facsimile.core.module.Module;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import io.facsimile.core.release.ManifestWriter;
import io.facsimile.core.release.ReleaseDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes the copy of a release that may be published (spec §8): an attached bundle is uploaded by a
 * plain {@code mvn deploy}, so by default it holds no value from the state.
 *
 * <p>The caller renders the instance twice: once with the real state into the release dir, once with
 * every password of the state replaced by {@link #MASK} into another directory. Comparing the two renderings
 * file by file tells which files hold a secret, whatever template syntax put it there; the masked
 * rendering, with a manifest marking those files, is what gets archived. Before attaching,
 * {@link #requireNoSecrets} scans the finished archive for the real values as a safety net.
 */
public final class Sealer {

    /** What follows the place of a secret found in a bundle or its sealed copy: never the value itself. */
    private static final String LEAK_ADVICE = " (value not shown). Keep generated values in the state, not in"
            + " definitions or extra/ files, so sealing can mask them; or set <bundleSecrets>include</bundleSecrets>"
            + " to publish them";

    /** What every password of the state is written as in the masked rendering. */
    public static final String MASK = Module.MASK;

    /**
     * Values shorter than this are not looked for by {@link #containsAny}: they would match by chance
     * (a uiid {@code 7} is in almost every file). Generated passwords are far longer.
     */
    public static final int MIN_SECRET_LENGTH = 4;

    private Sealer() {}

    /**
     * Turns the masked rendering into the sealed tree: writes its {@code manifest.json} (atomically,
     * replacing any there) listing its own deploy tree, with every file whose content differs from the
     * real rendering marked {@code "sealed": true}; size and sha256 are those of the masked copy.
     *
     * @param realReleaseDir the release dir rendered with the real state; only read
     * @param maskedReleaseDir the same instance rendered with {@link #MASK} for every password of the state
     * @return the sealed tree, rooted at {@code maskedReleaseDir}
     * @throws BundleException when a release dir is missing or the two renderings do not have the
     *     same files (a file name that depends on a secret cannot be sealed)
     */
    public static SealedTree seal(Path realReleaseDir, Path maskedReleaseDir) {
        for (Path dir : new Path[] {realReleaseDir, maskedReleaseDir}) {
            if (!Files.isDirectory(dir)) {
                throw BundleException.userError("Release dir " + dir + " does not exist; render the instance first");
            }
        }
        Map<String, ManifestEntry> real =
                Manifest.scan(realReleaseDir.resolve(ReleaseDir.DEPLOY_TREE)).byPath();
        Manifest masked = Manifest.scan(maskedReleaseDir.resolve(ReleaseDir.DEPLOY_TREE));
        Map<String, ManifestEntry> maskedByPath = masked.byPath();
        if (!real.keySet().equals(maskedByPath.keySet())) {
            throw BundleException.userError(
                    "Cannot seal the bundle: the rendering with masked secrets has other files than"
                            + " the real one" + difference("only in the real one", real.keySet(), maskedByPath.keySet())
                            + difference("only in the masked one", maskedByPath.keySet(), real.keySet())
                            + ". A file name must not depend on a state value; or set <bundleSecrets>include</bundleSecrets>");
        }
        Set<String> differing = real.values().stream()
                .filter(e -> !e.sha256().equals(maskedByPath.get(e.path()).sha256()))
                .map(ManifestEntry::path)
                .collect(Collectors.toSet());
        Manifest sealed = masked.seal(differing);
        ManifestWriter.write(maskedReleaseDir, sealed);
        return new SealedTree(maskedReleaseDir, sealed);
    }

    /**
     * Whether any entry of a bundle (name or decompressed content) holds one of the secrets, raw or
     * in a usual encoding (JSON, XML, URL, Base64). Values shorter than {@link #MIN_SECRET_LENGTH}
     * are ignored; pass passwords and other secret strings, not uiids. Archives nested in the bundle
     * (a jar) are not opened.
     */
    public static boolean containsAny(Path archive, Collection<String> secrets) {
        return SecretScanner.firstEntryWithAny(archive, secrets).isPresent();
    }

    /**
     * Fails when any entry of a bundle holds one of the secrets; the plugin runs this before attaching.
     * The message names the archive and the entry, never the secret.
     *
     * @throws BundleException a user error naming the entry
     */
    public static void requireNoSecrets(Path archive, Collection<String> secrets) {
        Optional<String> entry = SecretScanner.firstEntryWithAny(archive, secrets);
        if (entry.isPresent()) {
            throw BundleException.userError(
                    "Bundle " + archive + " holds a secret from the state in " + entry.get() + LEAK_ADVICE);
        }
    }

    /**
     * Fails when a file below {@code tree} (name or content) holds one of the secrets, as
     * {@link #requireNoSecrets(Path, Collection)} does for an archive. Checking the sealed tree before
     * it is archived proves the same of the archive, which holds exactly its files, without unpacking it.
     *
     * @throws BundleException a user error naming the file, never the secret
     */
    public static void requireNoSecretsIn(Path tree, Collection<String> secrets) {
        Optional<String> file = SecretScanner.firstFileWithAny(tree, secrets);
        if (file.isPresent()) {
            throw BundleException.userError(
                    "The sealed copy " + tree + " holds a secret from the state in " + file.get() + LEAK_ADVICE);
        }
    }

    private static String difference(String label, Set<String> a, Set<String> b) {
        Set<String> only = new TreeSet<>(a);
        only.removeAll(b);
        return only.isEmpty() ? "" : "; " + label + ": " + String.join(", ", only);
    }
}

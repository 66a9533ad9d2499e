package io.facsimile.core.deploy;

import io.facsimile.core.release.FileSha256;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import io.facsimile.core.release.ReleaseDir;
import io.facsimile.core.release.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What is deployed: a rendered deploy tree on this machine and its manifest. The manifest of a release
 * dir whose tree hash an earlier deploy recorded for the same document is parsed only when asked for:
 * a deploy that finds the release current on every node needs its hash, not its 10,000 entries.
 */
public final class ReleaseSource {

    private final String version;
    private final Path tree;
    private final TreeHashRecord hashes;
    /** Parses the manifest, once, when it was not parsed at once. */
    private final Supplier<Manifest> parse;

    private volatile Manifest manifest;
    /** The document of {@link #manifest}, made when first asked for; {@code null} before. */
    private volatile byte[] json;

    /**
     * @param version the project version, the first part of the release id
     * @param manifest the manifest of the tree (as rendered; the engine verifies what it stages against it)
     * @param tree the deploy tree ({@code <release dir>/_DEPLOY_})
     */
    public ReleaseSource(String version, Manifest manifest, Path tree) {
        this(version, tree, TreeHashRecord.none(), Objects.requireNonNull(manifest, "manifest"), null);
    }

    private ReleaseSource(
            String version, Path tree, TreeHashRecord hashes, Manifest manifest, Supplier<Manifest> parse) {
        this.version = Objects.requireNonNull(version, "version");
        this.tree = Objects.requireNonNull(tree, "tree");
        this.hashes = hashes;
        this.manifest = manifest;
        this.parse = parse;
    }

    /**
     * The release dir {@code target/facsimile/<instance>/}: its {@code manifest.json} and {@code _DEPLOY_}.
     *
     * @throws DeployException (a user error) when the release dir has not been rendered
     */
    public static ReleaseSource of(Path releaseDir, String version) {
        Path manifest = requireRendered(releaseDir);
        Path tree = releaseDir.resolve(ReleaseDir.DEPLOY_TREE);
        byte[] json;
        try {
            json = Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot read " + manifest, e);
        }
        TreeHashRecord hashes = TreeHashRecord.beside(releaseDir, json);
        // a document whose hash was recorded was parsed and found deployable by the deploy that recorded
        // it: the same bytes parse the same later; any other document is parsed now, its errors first
        return hashes.recorded().isPresent()
                ? new ReleaseSource(version, tree, hashes, null, () -> Manifest.read(manifest, json))
                : new ReleaseSource(version, tree, hashes, Manifest.read(manifest, json), null);
    }

    /**
     * The release dir a render of this run has just written, with the manifest it wrote there and that
     * manifest's bytes ({@link Manifest#toJson}, as written): taken as they are, not read back and parsed
     * again, and sent to the nodes as they are.
     *
     * @throws DeployException (a user error) when the release dir holds no rendered release
     */
    public static ReleaseSource rendered(Path releaseDir, String version, Manifest manifest, byte[] manifestJson) {
        requireRendered(releaseDir);
        ReleaseSource source = new ReleaseSource(
                version,
                releaseDir.resolve(ReleaseDir.DEPLOY_TREE),
                TreeHashRecord.besideWritten(releaseDir, manifestJson),
                Objects.requireNonNull(manifest, "manifest"),
                null);
        source.json = manifestJson; // the render wrote manifest.toJson(): no node needs it made again
        return source;
    }

    /** The manifest file of a rendered release dir; refused when it or the deploy tree is missing. */
    private static Path requireRendered(Path releaseDir) {
        Path manifest = releaseDir.resolve(ReleaseDir.MANIFEST);
        if (!Files.isRegularFile(manifest) || !Files.isDirectory(releaseDir.resolve(ReleaseDir.DEPLOY_TREE))) {
            throw new DeployException(releaseDir + " holds no rendered release (" + ReleaseDir.MANIFEST + " and "
                    + ReleaseDir.DEPLOY_TREE + "/ expected); run facsimile:render for the instance first");
        }
        return manifest;
    }

    /** The project version, the first part of the release id. */
    public String version() {
        return version;
    }

    /** The deploy tree ({@code <release dir>/_DEPLOY_}). */
    public Path tree() {
        return tree;
    }

    /** The manifest of the tree (as rendered; the engine verifies what it stages against it). */
    public Manifest manifest() {
        Manifest parsed = manifest;
        if (parsed == null) {
            synchronized (this) {
                parsed = manifest;
                if (parsed == null) {
                    parsed = parse.get();
                    manifest = parsed;
                }
            }
        }
        return parsed;
    }

    /** Whether the manifest has been parsed: at once, or since it was asked for. */
    boolean parsed() {
        return manifest != null;
    }

    /**
     * The manifest document of {@code target} ({@link Manifest#toJson}) that a staged release holds: for
     * this source's own manifest made once and the same bytes for every node of the run, which only read
     * them.
     */
    public byte[] manifestJson(Manifest target) {
        if (target != manifest) {
            return target.toJson();
        }
        byte[] made = json;
        if (made == null) {
            synchronized (this) {
                made = json;
                if (made == null) {
                    made = target.toJson();
                    json = made;
                }
            }
        }
        return made;
    }

    /**
     * The tree hash of {@code target}, the manifest to deploy ({@link DeployPlanner#target} of
     * {@link #manifest()}): when it is this source's own (nothing excluded), as recorded beside the
     * release dir by an earlier deploy of the same manifest document, and recorded there otherwise.
     */
    public String treeHash(Manifest target) {
        return target == manifest ? hashes.treeHash(target) : target.treeHash();
    }

    /**
     * The tree hash of this source's manifest when an earlier deploy recorded it for the same document
     * (after {@link DeployPlanner#target} took the whole manifest): known without parsing the manifest.
     */
    public Optional<String> recordedTreeHash() {
        return hashes.recorded();
    }

    /** A source whose manifest is computed by scanning {@code tree}. */
    public static ReleaseSource scan(Path tree, String version) {
        return new ReleaseSource(version, Manifest.scan(tree), tree);
    }

    /**
     * Checks that the file of {@code entry} in the deploy tree is still what was rendered: a regular file
     * (not a link, which is never followed, nor a FIFO, which would block the deploy, nor a socket or
     * device) of the manifest's size. The content itself is checked on the node, where the staged release
     * is verified against the manifest before the switch.
     *
     * @return the file
     * @throws DeployException (a user error) when the file was replaced after render, naming it
     */
    public Path check(ManifestEntry entry) {
        Path file = tree.resolve(entry.path());
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw DeployException.io("cannot read " + file + " of the rendered release", e);
        }
        if (!attributes.isRegularFile() || attributes.size() != entry.size()) {
            String found = attributes.isSymbolicLink()
                    ? "a symbolic link"
                    : attributes.isDirectory()
                            ? "a directory"
                            : attributes.isOther()
                                    ? "a FIFO, socket or device"
                                    : "a file of " + attributes.size() + " bytes where the manifest says "
                                            + entry.size();
            throw DeployException.refused(file + " is " + found + ": the deploy tree changed after it was rendered;"
                    + " nothing was sent from it. Render the instance again (mvn facsimile:render) and deploy");
        }
        return file;
    }

    /**
     * Checks the file of {@code entry} as {@link #check} does and reads it to compare its content with the
     * manifest: for a repair, which goes into a release the node already trusts and is not verified on the
     * node as a staged release is.
     *
     * @throws DeployException (a user error) when the file was replaced or changed after render, naming it
     */
    public void verify(ManifestEntry entry) {
        Path file = check(entry);
        String sha256;
        try {
            sha256 = FileSha256.ofNoLink(file).sha256();
        } catch (IOException e) {
            throw DeployException.io("cannot read " + file + " of the rendered release", e);
        }
        if (!sha256.equals(entry.sha256())) {
            throw DeployException.refused(file + " does not hold what the manifest says: the deploy tree changed"
                    + " after it was rendered; nothing was sent from it. Render the instance again (mvn"
                    + " facsimile:render) and deploy");
        }
    }

    /**
     * Opens the file of {@code entry} to send it, after {@link #check}, without following a link.
     *
     * @throws DeployException (a user error) when the file was replaced after render, naming it
     */
    public InputStream open(ManifestEntry entry) {
        Path file = check(entry);
        try {
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw DeployException.io("cannot read " + file + " of the rendered release", e);
        }
    }
}

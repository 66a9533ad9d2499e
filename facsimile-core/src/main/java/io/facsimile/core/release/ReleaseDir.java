package io.facsimile.core.release;

/** The names inside a release dir ({@code target/facsimile/<instance>/}), in one place. */
public final class ReleaseDir {

    /** The deploy tree: the part of a release dir that goes to nodes. */
    public static final String DEPLOY_TREE = "_DEPLOY_";

    /** The manifest of the deploy tree: every file with size, mode and SHA-256. */
    public static final String MANIFEST = "manifest.json";

    private ReleaseDir() {}
}

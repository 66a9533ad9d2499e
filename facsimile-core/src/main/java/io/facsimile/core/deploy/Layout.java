package io.facsimile.core.deploy;

import java.util.List;

/**
 * Where the deploy keeps things in a node's home. Paths are relative to the home.
 *
 * <pre>
 * home/
 *   .facsimile-deploy.lock           the deploy lock (who, process, since when)
 *   .facsimile/deploy-log.jsonl      one JSON line per deploy, rollback or failure
 *   .facsimile/manifest.json         sync only: the manifest of what was last deployed
 *   releases/&lt;id&gt;/                  releases only: one release
 *   releases/&lt;id&gt;/.facsimile/manifest.json   that release's manifest
 *   releases/&lt;id&gt;/.facsimile/stat.json       its quick-check record, with stat.digest and (over SSH) stat.sha256
 *   releases/&lt;id&gt;.partial/          a release being staged (never live; removed by the next run)
 *   current -&gt; releases/&lt;id&gt;         releases only: the live release
 * </pre>
 *
 * The release's manifest is kept inside the release dir, written before the {@code .partial} is
 * renamed, so that a complete release and its manifest appear in one atomic step and are pruned
 * together. It lives under a hidden {@code .facsimile/} which the deploy tree may not use and which
 * {@code verify} ignores; postcmd does see it in its working directory.
 */
public final class Layout {

    /** The directory of a release (and of the home) that holds Facsimile's own records; no release file lies below it. */
    public static final String META_DIR = ".facsimile";

    /** The home's deploy lock file, which both transports lock the same way ({@link HomeLock}). */
    public static final String LOCK_FILE = ".facsimile-deploy.lock";

    static final String LOG = META_DIR + "/deploy-log.jsonl";
    static final String SYNC_MANIFEST = META_DIR + "/manifest.json";
    public static final String RELEASES = "releases";
    public static final String CURRENT = "current";
    static final String PARTIAL = ".partial";
    static final String RELEASE_MANIFEST = META_DIR + "/manifest.json";

    /** The quick-check record of a release, beside its manifest (see {@code ReleaseCheck}). */
    public static final String STAT_RECORD = META_DIR + "/stat.json";

    /**
     * The digest of the release's id and the listing its quick-check record holds ({@code StatRecord#digest}),
     * written with the record when the staged release was checked against its manifest: a release listed
     * as it was then, under the same id, is known so without reading and comparing 10,000 records. A record
     * taken after a repair, of a listing no manifest was compared with, has none.
     */
    public static final String STAT_DIGEST = META_DIR + "/stat.digest";

    /**
     * The SHA-256 of a release's id and of its listing as the node's own programs print and sort it
     * ({@code find | sort | sha256sum}), beside the record: the node compares it with its listing itself,
     * and a deploy reads no listing of a release that is as it was staged.
     */
    public static final String LISTING_DIGEST = META_DIR + "/stat.sha256";

    /**
     * The paths of a release dir left out of the digests of its listing: the {@code .facsimile} directory
     * itself and the quick-check record's files, all written after the listing.
     */
    public static final List<String> OUTSIDE_LISTING_DIGEST =
            List.of(META_DIR, STAT_RECORD, STAT_DIGEST, LISTING_DIGEST);

    /** Whether {@code path} of a release dir is one of {@link #OUTSIDE_LISTING_DIGEST}. */
    public static boolean isOutsideListingDigest(String path) {
        return OUTSIDE_LISTING_DIGEST.contains(path);
    }

    private Layout() {}

    /**
     * A name for a temporary file beside the one it becomes: short and fixed in length, so that a file
     * whose own name is up to the 255 bytes a directory entry may hold can still be written.
     */
    public static String temporaryName() {
        return ".fcs-" + java.util.UUID.randomUUID() + ".tmp";
    }

    static String release(String id) {
        return RELEASES + "/" + id;
    }

    static String partial(String id) {
        return RELEASES + "/" + id + PARTIAL;
    }

    /**
     * Whether {@code name}, an entry of {@code releases/}, is a release staged by a deploy ({@code
     * <version>-<12 hex digits>.partial}): only those are Facsimile's to remove when a deploy left one.
     */
    static boolean isPartial(String name) {
        return name.endsWith(PARTIAL)
                && name.matches(
                        ".+-[0-9a-f]{" + DeployPlanner.HASH_DIGITS + "}" + java.util.regex.Pattern.quote(PARTIAL));
    }

    /** The link target stored in {@code current}: relative, so that the home can be moved. */
    static String linkTarget(String id) {
        return release(id);
    }

    /** The release id of a {@code current} link target. */
    static String idOf(String linkTarget) {
        String t = linkTarget.endsWith("/") ? linkTarget.substring(0, linkTarget.length() - 1) : linkTarget;
        return t.substring(t.lastIndexOf('/') + 1);
    }

    static boolean isReserved(String path) {
        return path.equals(LOCK_FILE) || path.equals(META_DIR) || path.startsWith(META_DIR + "/");
    }

    /** {@code true} when a directory above {@code path} (not {@code path} itself) is one of {@code dirs}. */
    static boolean isBelowAny(String path, java.util.Collection<String> dirs) {
        for (String d = parent(path); !d.isEmpty(); d = parent(d)) {
            if (dirs.contains(d)) {
                return true;
            }
        }
        return false;
    }

    /** The directory of a path relative to the home ({@code ""} for the home itself). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** {@code dir/path}, or {@code path} when {@code dir} is the home ({@code ""}). */
    public static String join(String dir, String path) {
        return dir.isEmpty() ? path : dir + "/" + path;
    }
}

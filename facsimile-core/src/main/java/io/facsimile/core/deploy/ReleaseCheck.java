package io.facsimile.core.deploy;

import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Checks a release directory on a node against its manifest, and repairs it from this build. The node
 * is the truth: {@code current} naming the release being deployed proves nothing about its files.
 *
 * <p>The quick check (the default, as rsync's) compares each file's type, mode, size, time and inode
 * with what {@code .facsimile/stat.json} recorded when the release was staged, and reads only the files
 * that differ; the content check reads every file. A release without that record is checked by content.
 * A release listed exactly as its staging recorded it, by the digest beside the record, passes without
 * reading the record.
 */
final class ReleaseCheck {

    /**
     * How a release directory differs from its manifest.
     *
     * @param present the directory exists
     * @param changed files whose type, content or mode differs
     * @param missing files of the manifest that are not there
     * @param extra entries that do not belong (the topmost of each extra subtree)
     * @param manifestDamaged the release's own copy of its manifest is missing or differs
     */
    record Drift(
            boolean present, List<String> changed, List<String> missing, List<String> extra, boolean manifestDamaged) {

        int files() {
            return changed.size() + missing.size() + extra.size();
        }

        boolean clean() {
            return present && files() == 0 && !manifestDamaged;
        }

        String describe() {
            return (changed.isEmpty() ? "" : changed.size() + " changed " + changed + " ")
                    + (missing.isEmpty() ? "" : missing.size() + " missing " + missing + " ")
                    + (extra.isEmpty() ? "" : extra.size() + " extra " + extra + " ")
                    + (manifestDamaged ? "its manifest damaged" : "");
        }
    }

    Drift check(Transport t, String dir, Manifest manifest, boolean checksum) {
        return check(t, dir, () -> manifest, checksum);
    }

    /**
     * As {@link #check(Transport, String, Manifest, boolean)}, with the manifest made only when the
     * release is not listed as its record's digest says: a current release needs none of its entries.
     */
    Drift check(Transport t, String dir, Supplier<Manifest> manifestOf, boolean checksum) {
        // a node that computes the listing's digest itself says so without sending the listing
        Optional<Map<String, FileStat>> listed =
                checksum ? Optional.of(t.stat(dir)) : t.statUnlessAsStaged(dir, Layout.idOf(dir));
        if (listed.isEmpty()) {
            return new Drift(true, List.of(), List.of(), List.of(), false);
        }
        Map<String, FileStat> live = listed.get();
        if (live.isEmpty() && !t.exists(dir)) {
            Manifest manifest = manifestOf.get();
            return new Drift(
                    false,
                    List.of(),
                    manifest.files().stream().map(ManifestEntry::path).toList(),
                    List.of(),
                    true);
        }
        if (!checksum && listedAsRecorded(t, dir, live)) {
            // every entry's type, mode, size, time and inode as when the release was staged under this id
            // and checked against its manifest: the quick check of each file against the record passes
            return new Drift(true, List.of(), List.of(), List.of(), false);
        }
        Manifest manifest = manifestOf.get();
        Optional<Map<String, FileStat>> recorded = checksum ? Optional.empty() : readRecord(t, dir);
        List<String> changed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> candidates = new HashSet<>();
        Set<String> needed = manifest.directories();
        for (ManifestEntry e : manifest.files()) {
            FileStat s = live.get(e.path());
            if (s == null) {
                missing.add(e.path());
            } else if (!s.isFile() || s.size() != e.size() || !s.mode().equals(e.mode())) {
                changed.add(e.path());
            } else if (recorded.isEmpty() || !s.equals(recorded.get().get(e.path()))) {
                candidates.add(e.path());
            }
        }
        List<String> extra = new ArrayList<>();
        Map<String, ManifestEntry> wanted = manifest.byPath();
        for (Map.Entry<String, FileStat> l : live.entrySet()) {
            String p = l.getKey();
            if (p.equals(Layout.META_DIR)
                    || p.startsWith(Layout.META_DIR + "/")
                    || wanted.containsKey(p)
                    || needed.contains(p) && l.getValue().isDirectory()
                    || Layout.isBelowAny(p, extra)) {
                continue;
            }
            extra.add(p);
        }
        if (!candidates.isEmpty()) {
            Map<String, ManifestEntry> have = t.scan(
                            dir,
                            p -> p.endsWith("/")
                                    ? needed.contains(p.substring(0, p.length() - 1))
                                    : candidates.contains(p))
                    .byPath();
            for (String p : candidates) {
                ManifestEntry h = have.get(p);
                ManifestEntry w = wanted.get(p);
                if (h == null || !h.sha256().equals(w.sha256()) || !h.mode().equals(w.mode())) {
                    changed.add(p);
                }
            }
        }
        changed.sort(null);
        FileStat m = live.get(Layout.RELEASE_MANIFEST);
        boolean manifestDamaged = m == null
                || !m.isFile()
                || !(recorded.isPresent() && m.equals(recorded.get().get(Layout.RELEASE_MANIFEST))
                        || t.readFile(Layout.join(dir, Layout.RELEASE_MANIFEST))
                                .map(b -> Arrays.equals(b, manifest.toJson()))
                                .orElse(false));
        return new Drift(true, changed, missing, extra, manifestDamaged);
    }

    /**
     * Puts a release directory back to its manifest: extra entries removed (links removed, never
     * followed), changed and missing files sent again from this build's tree (each compared with the
     * manifest first), the manifest and the quick-check record rewritten.
     *
     * @throws DeployException (a user error) before anything is changed, when a file to send differs from
     *     the manifest: the tree changed after it was rendered
     *
     * @return how many files were repaired
     */
    int repair(NodeRun run, ReleaseSource source, String dir, Manifest manifest, Drift drift) {
        Transport t = run.transport;
        Map<String, ManifestEntry> wanted = manifest.byPath();
        for (String p : drift.extra()) {
            t.remove(Layout.join(dir, p));
        }
        List<String> send = new ArrayList<>(drift.changed());
        send.addAll(drift.missing());
        // the files go into a release the node trusts, unverified there: their content is compared first,
        // before anything on the node changes
        send.forEach(p -> source.verify(wanted.get(p)));
        Map<String, FileStat> live = send.isEmpty() ? Map.of() : t.stat(dir);
        for (String p : send) {
            FileStat s = live.get(p);
            if (s != null && !s.isFile()) {
                t.remove(Layout.join(dir, p));
            }
            upload(run, source, dir, wanted.get(p));
        }
        t.writeFile(Layout.join(dir, Layout.RELEASE_MANIFEST), source.manifestJson(manifest));
        record(t, dir);
        return drift.files();
    }

    /**
     * Records the quick-check data of a release directory as it is now, after a repair: without a digest,
     * as this listing was not compared with the manifest (whatever appeared meanwhile is in it).
     */
    void record(Transport t, String dir) {
        t.remove(Layout.join(dir, Layout.STAT_DIGEST));
        t.remove(Layout.join(dir, Layout.LISTING_DIGEST));
        writeRecord(t, dir, t.stat(dir));
    }

    /**
     * Records the quick-check data of release {@code id}, staged in {@code dir}, from a listing of it made
     * after its last change and checked against its manifest, with the digest of both; none when the
     * listing lacks the release's manifest.
     */
    void recordStaged(Transport t, String dir, String id, Map<String, FileStat> listing) {
        TreeMap<String, FileStat> stats = writeRecord(t, dir, listing);
        FileStat manifest = stats.get(Layout.RELEASE_MANIFEST);
        if (manifest != null && manifest.isFile()) {
            t.writeFile(
                    Layout.join(dir, Layout.STAT_DIGEST),
                    (StatRecord.digest(id, stats) + "\n").getBytes(StandardCharsets.UTF_8));
            t.listingDigest(id, stats)
                    .ifPresent(sum -> t.writeFile(
                            Layout.join(dir, Layout.LISTING_DIGEST), (sum + "\n").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Writes the quick-check record of {@code dir} from {@code listing}, the record's own files left out. */
    private static TreeMap<String, FileStat> writeRecord(Transport t, String dir, Map<String, FileStat> listing) {
        TreeMap<String, FileStat> stats = new TreeMap<>(listing);
        stats.remove(Layout.STAT_RECORD);
        stats.remove(Layout.STAT_DIGEST);
        stats.remove(Layout.LISTING_DIGEST);
        t.writeFile(Layout.join(dir, Layout.STAT_RECORD), StatRecord.write(stats));
        return stats;
    }

    private static Optional<Map<String, FileStat>> readRecord(Transport t, String dir) {
        return t.readFile(Layout.join(dir, Layout.STAT_RECORD)).flatMap(StatRecord::read);
    }

    /**
     * Whether {@code live}, the listing of release dir {@code dir} now, is the one the digest beside its
     * record was taken of when it was staged under the same id. The record and the digest must be plain
     * files (a release whose record was deleted is checked by content), the digest a small one; a digest
     * that cannot be read is none.
     */
    private static boolean listedAsRecorded(Transport t, String dir, Map<String, FileStat> live) {
        FileStat record = live.get(Layout.STAT_RECORD);
        FileStat digest = live.get(Layout.STAT_DIGEST);
        if (record == null || !record.isFile() || digest == null || !digest.isFile() || digest.size() > 64) {
            return false;
        }
        Optional<byte[]> recorded;
        try {
            recorded = t.readFile(Layout.join(dir, Layout.STAT_DIGEST));
        } catch (DeployException e) {
            return false;
        }
        String id = Layout.idOf(dir);
        return recorded.map(b -> new String(b, StandardCharsets.UTF_8).strip())
                .filter(sum -> sum.equals(StatRecord.digest(id, live)))
                .isPresent();
    }

    static void upload(NodeRun run, ReleaseSource source, String dir, ManifestEntry e) {
        try (InputStream in = source.open(e)) {
            run.transport.upload(Layout.join(dir, e.path()), in, e.size(), e.mode());
        } catch (IOException x) {
            throw DeployException.io("cannot read " + source.tree().resolve(e.path()), x);
        }
        run.filesSent++;
        run.bytesSent += e.size();
    }
}

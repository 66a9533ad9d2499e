package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.FileStat;
import io.facsimile.core.deploy.FindListing;
import io.facsimile.core.deploy.Layout;
import io.facsimile.core.deploy.Shell;
import io.facsimile.core.release.FileSha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@link Layout#LISTING_DIGEST} of a release: the SHA-256 of its id, a NUL, and the records of its
 * listing as GNU find prints them ({@link FindListing#FORMAT}), sorted bytewise as {@code LC_ALL=C sort -z}
 * sorts them, each ended by a NUL; without the {@code .facsimile} directory's own record and those of the
 * quick-check record and its two digests, which are written after the listing. The deploy computes it
 * from the listing of the staged release, checked against the manifest; the node computes it of the
 * release as it is now, with its own programs, and compares, so that a release as it was staged costs
 * one short answer instead of a listing of 10,000 records.
 */
final class ListingDigest {

    /** What the node prints when the release is listed as its digest says. */
    static final String SAME = "SAME";

    private ListingDigest() {}

    /**
     * The digest of release {@code id} listed as {@code listing} (times as find prints them); empty when
     * it holds anything but files and directories, which no staged release does.
     */
    static Optional<String> of(String id, Map<String, FileStat> listing) {
        List<byte[]> records = new ArrayList<>(listing.size());
        for (Map.Entry<String, FileStat> e : listing.entrySet()) {
            String path = e.getKey();
            if (Layout.isOutsideListingDigest(path)) {
                continue;
            }
            FileStat s = e.getValue();
            if (!s.isFile() && !s.isDirectory()) {
                return Optional.empty();
            }
            // %m prints the permission bits in octal without leading zeros
            String mode = Integer.toOctalString(Integer.parseInt(s.mode(), 8));
            records.add((s.type() + " " + mode + " " + s.size() + " " + s.mtime() + " " + s.inode() + " " + path)
                    .getBytes(StandardCharsets.UTF_8));
        }
        records.sort(Arrays::compareUnsigned);
        MessageDigest sha256 = FileSha256.newDigest();
        sha256.update(id.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        for (byte[] record : records) {
            sha256.update(record);
            sha256.update((byte) 0);
        }
        return Optional.of(HexFormat.of().formatHex(sha256.digest()));
    }

    /**
     * A command for the release dir (the working directory, entered without following a link) that prints
     * {@link #SAME} when release {@code id} is listed there as its digest says, next to a quick-check record
     * (both plain files, in a {@code .facsimile} that is no link), and nothing below it is a link; its listing
     * otherwise. The digest is no secret (whoever can write the release can compute it again), so {@code SAME}
     * rests on the node's own finding that the release holds no link, as a staged release does not: the
     * deploy then needs no {@code lstat} below it before it copies from it.
     */
    static String command(String id) {
        return commandFor(Shell.quote(id));
    }

    /** {@link #command} of the release whose id the shell word {@code idWord} gives ({@code "${l#releases/}"}). */
    static String commandFor(String idWord) {
        String digest = digestCommand(idWord);
        return "if [ ! -L " + Layout.META_DIR + " ]" + plainFile(Layout.STAT_RECORD) + plainFile(Layout.LISTING_DIGEST)
                + " && [ -z \"$(find -P . -mindepth 1 -type l -print -quit)\" ]"
                + " && read -r was < " + Layout.LISTING_DIGEST + " && now=$(" + digest
                + ") && [ \"${now%% *}\" = \"$was\" ];"
                + " then echo " + SAME + "; else " + FindListing.COMMAND + "; fi";
    }

    /**
     * The command that prints, as {@code sha256sum} does, the digest of the release in the working directory
     * as it is listed now, for the id the shell word {@code idWord} gives.
     */
    static String digestCommand(String idWord) {
        // left out by find itself: these paths hold no character its patterns treat specially
        String leftOut = Layout.OUTSIDE_LISTING_DIGEST.stream()
                .map(path -> " ! -path ./" + path)
                .collect(Collectors.joining());
        return "{ printf '%s\\0' " + idWord + "; " + FindListing.command(leftOut)
                + " | LC_ALL=C sort -z; } | sha256sum";
    }

    private static String plainFile(String path) {
        return " && [ -f " + path + " ] && [ ! -L " + path + " ]";
    }
}

package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.incremental.FileState;
import io.facsimile.core.incremental.OutputRecord;
import io.facsimile.core.incremental.SourceFiles;
import io.facsimile.core.install.PreparedFile;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import io.facsimile.core.release.ReleaseDir;
import io.facsimile.core.template.RenderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The copied files of a release dir, as the record of its last rendering holds them: what a rendering
 * needs to refresh only the copies whose sources changed, when nothing else did (the caller checks that
 * with the stamp, {@code RenderInputs.isCurrentApart}). Such a rendering plans, renders and compares
 * nothing else: the other files of the release are those of the last rendering of the same inputs.
 *
 * @param releaseDir the release dir
 * @param previous the record of its last rendering
 * @param copies destination → the copy's source as the listing of the definitions directory names it
 */
record CopyRefresh(Path releaseDir, OutputRecord previous, Map<String, String> copies) {

    /**
     * The copies the last rendering of {@code releaseDir} recorded; empty when it recorded none, or a
     * source that is not below the definitions directory (a file elsewhere is watched by its stamp, and
     * such a release takes the full way).
     */
    static Optional<CopyRefresh> of(Path releaseDir, OutputRecord previous, SourceFiles sources) {
        Map<String, String> copies = new HashMap<>();
        for (Map.Entry<String, OutputRecord.Entry> entry : previous.entries().entrySet()) {
            String source = entry.getValue().source();
            if (!source.isEmpty()) {
                String name = sources.listedName(source);
                if (name == null) {
                    return Optional.empty();
                }
                copies.put(entry.getKey(), name);
            }
        }
        return copies.isEmpty() ? Optional.empty() : Optional.of(new CopyRefresh(releaseDir, previous, copies));
    }

    /** The copies' sources relative to the definitions directory. */
    Set<String> sourceNames() {
        return Set.copyOf(copies.values());
    }

    /**
     * The copies whose source this run's listing holds with another size or time than the record does
     * (or with a time too recent to tell a rewrite apart), each with the permissions its release file
     * has; empty when a source is not listed as a plain file or a copy is not one in the release dir,
     * which the caller takes for a reason to render the full way.
     */
    Optional<List<PreparedFile>> changed(SourceFiles sources) {
        List<PreparedFile> changed = new ArrayList<>();
        for (Map.Entry<String, String> copy : copies.entrySet()) {
            OutputRecord.Entry recorded = previous.entries().get(copy.getKey());
            FileState listed = sources.listedByName(copy.getValue());
            if (listed == null) {
                return Optional.empty();
            }
            if (listed.size() != recorded.sourceSize()
                    || listed.modified() != recorded.sourceModified()
                    || sources.isRacy(recorded.source())) {
                BasicFileAttributes onDisk = attributes(releaseDir.resolve(copy.getKey()));
                if (onDisk == null || !onDisk.isRegularFile()) {
                    return Optional.empty();
                }
                Set<PosixFilePermission> permissions =
                        onDisk instanceof PosixFileAttributes posix ? posix.permissions() : null;
                changed.add(new PreparedFile(copy.getKey(), null, sources.listedPath(copy.getValue()), permissions));
            }
        }
        return Optional.of(changed);
    }

    /**
     * The attributes of a release file, not following a link, with its permissions where the file system
     * has them; {@code null} when it cannot be read.
     */
    private static BasicFileAttributes attributes(Path file) {
        try {
            return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The release's manifest as it is in the release dir, with the entries of the refreshed copies of its
     * deploy tree taking their new sizes and digests (their modes are as before); empty when it does not
     * list one of them or cannot be read, which the caller takes for a reason to render the full way.
     */
    Optional<Manifest> manifest(Map<String, OutputRecord.Written> refreshed) {
        Manifest before;
        try {
            before = Manifest.read(releaseDir.resolve(ReleaseDir.MANIFEST));
        } catch (FacsimileException e) {
            return Optional.empty();
        }
        String prefix = RenderModel.DEPLOY_TREE + "/";
        Map<String, ManifestEntry> entries = new HashMap<>(before.byPath());
        for (Map.Entry<String, OutputRecord.Written> file : refreshed.entrySet()) {
            if (file.getKey().startsWith(prefix)) {
                String path = file.getKey().substring(prefix.length());
                ManifestEntry old = entries.get(path);
                if (old == null) {
                    return Optional.empty();
                }
                OutputRecord.Written written = file.getValue();
                entries.put(path, new ManifestEntry(path, written.size(), old.mode(), written.sha256(), false));
            }
        }
        return Optional.of(new Manifest(List.copyOf(entries.values())));
    }
}

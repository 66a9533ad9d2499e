package io.facsimile.core.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes {@code manifest.json} into a release dir. */
public final class ManifestWriter {

    private ManifestWriter() {}

    /**
     * Writes the manifest to {@code <releaseDir>/manifest.json} atomically (temporary file in the same
     * directory, then rename), and only when its bytes differ from what is there, so that an unchanged
     * release keeps its file untouched.
     *
     * @return {@code true} when the file was written, {@code false} when it already held these bytes
     */
    public static boolean write(Path releaseDir, Manifest manifest) {
        return write(releaseDir, manifest.toJson());
    }

    /** As {@link #write(Path, Manifest)}, for the bytes of a manifest ({@link Manifest#toJson()}). */
    public static boolean write(Path releaseDir, byte[] bytes) {
        Path target = releaseDir.resolve(ReleaseDir.MANIFEST);
        try {
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
        } catch (IOException e) {
            throw ReleaseException.broken("Cannot read " + target, e);
        }
        AtomicFiles.writeReadable(target, bytes);
        return true;
    }
}

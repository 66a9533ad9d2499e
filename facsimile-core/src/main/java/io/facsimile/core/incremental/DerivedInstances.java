package io.facsimile.core.incremental;

import io.facsimile.core.release.AtomicFiles;
import io.facsimile.core.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The instances the layer files derive, kept beside the release dirs ({@code .instances}) for the
 * listing of the definitions they were derived from. A run that renders every instance learns their
 * names by parsing every layer file (which layers only serve as building blocks); when the listing of
 * the definitions and shared directories (names, sizes, times, and the content of files too recent to
 * tell apart by time), the project's name and Facsimile's code are as recorded, the names are taken
 * from here instead. Any doubt derives them again.
 */
public final class DerivedInstances {

    private static final int VERSION = 2;

    private DerivedInstances() {}

    /**
     * The derived instances: recorded in {@code file} for this run's listing, or from {@code derive},
     * then recorded.
     *
     * @param sources the run's source files, whose listing is taken before anything is read
     * @param projectName the project's name, a reserved layer name
     */
    public static List<String> of(Path file, SourceFiles sources, String projectName, Supplier<List<String>> derive) {
        SourceFiles.Listing listing = sources.taken();
        String key = new Fingerprint()
                .add("listing", listing.digest())
                .add("racy", listing.racy())
                .add("project", projectName)
                .add("code", RenderInputs.code())
                .hex();
        Optional<List<String>> recorded = read(file, key);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        List<String> derived = List.copyOf(derive.get());
        write(file, key, derived);
        return derived;
    }

    private static Optional<List<String>> read(Path file, String key) {
        try {
            Properties record = StampFile.load(file);
            if (!Integer.toString(VERSION).equals(record.getProperty("version"))
                    || !key.equals(record.getProperty("key"))) {
                return Optional.empty();
            }
            return Optional.of(List.copyOf(StampFile.list(record, "instances")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Written through a temporary file, only beside release dirs that exist: a run that renders nothing
     * (an unknown instance, a broken layer) leaves no directory behind. A record that cannot be written
     * is derived again next time.
     */
    private static void write(Path file, String key, List<String> instances) {
        if (!Files.isDirectory(file.getParent())) {
            return;
        }
        Properties record = new Properties();
        record.setProperty("version", Integer.toString(VERSION));
        record.setProperty("key", key);
        StampFile.putList(record, "instances", instances);
        try {
            AtomicFiles.writeReadable(file, StampFile.bytes(record));
        } catch (IOException | ReleaseException e) {
            // derived again next time
        }
    }
}

package io.facsimile.core.install;

import io.facsimile.core.incremental.SourceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A project directory with definitions, build dir and release dir, for install tests. */
final class InstallFixture {

    final Path basedir;
    final Path definitions;
    final Path buildDir;
    final Path releaseDir;
    final Map<String, Path> artifacts = new HashMap<>();

    InstallFixture(Path root) {
        basedir = root.resolve("project");
        definitions = basedir.resolve("src/main/facsimile");
        buildDir = basedir.resolve("target");
        releaseDir = buildDir.resolve("facsimile/prod.eu1");
        try {
            Files.createDirectories(definitions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a UTF-8 file below the definitions directory. */
    Path file(String relative, String content) {
        return write(definitions.resolve(relative), content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path path, byte[] content) {
        try {
            Files.createDirectories(path.getParent());
            return Files.write(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InstallInputs inputs(String instance, Map<String, Map<String, Object>> modules, OperatingSystem os) {
        return new InstallInputs(
                definitions,
                releaseDir,
                instance,
                modules,
                os,
                new PathTokens(basedir, buildDir, releaseDir.resolve("_DEPLOY_")),
                coordinates -> {
                    Path file = artifacts.get(coordinates);
                    if (file == null) {
                        throw new InstallException("unknown artifact " + coordinates);
                    }
                    return file;
                },
                null,
                "shop",
                "1.2.3",
                new SourceFiles(definitions));
    }

    InstallInputs inputs(String instance) {
        return inputs(instance, Map.of(), OperatingSystem.LINUX);
    }

    InstallPlan plan(String instance, List<InstallGroup> groups) {
        return InstallPlanner.plan(groups, inputs(instance));
    }

    /** Every file below the release dir (relative path → content), to show that nothing changed. */
    Map<String, String> releaseSnapshot() {
        Map<String, String> snapshot = new TreeMap<>();
        if (!Files.exists(releaseDir)) {
            return snapshot;
        }
        try (Stream<Path> walk = Files.walk(releaseDir)) {
            for (Path path : walk.toList()) {
                String relative = releaseDir.relativize(path).toString();
                snapshot.put(
                        relative,
                        Files.isRegularFile(path)
                                ? Files.readString(path) + "@" + Files.getLastModifiedTime(path)
                                : "dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snapshot;
    }
}

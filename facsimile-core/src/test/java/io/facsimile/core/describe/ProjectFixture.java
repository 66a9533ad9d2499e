package io.facsimile.core.describe;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.FacsimileConfig;
import io.facsimile.core.api.Reporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A project on disk with layers, templates and state, and the facade over it. */
final class ProjectFixture {

    final Path basedir;
    final Path defs;

    ProjectFixture(Path basedir) throws IOException {
        this.basedir = basedir;
        this.defs = Files.createDirectories(basedir.resolve("src/main/facsimile"));
    }

    ProjectFixture write(String relative, String... lines) throws IOException {
        Path file = basedir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return this;
    }

    Facsimile facsimile() {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        return new Facsimile(new FacsimileConfig(project, null, List.of(), null, null), Reporter.silent());
    }
}

package io.facsimile.core.describe;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.Reporter;
import io.facsimile.core.testing.ShopProject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return ShopProject.facade(basedir, Reporter.silent());
    }
}

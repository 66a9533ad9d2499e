package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static io.facsimile.core.testing.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.incremental.ReleaseDirChanges;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.testing.RecordingReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest a render wrote goes to the deploy of the same run as written, and is what reading it back gives. */
class RenderedManifestTest {

    @TempDir
    Path basedir;

    private Rendered render() {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        FacsimileRun run = new Facsimile(FacsimileConfig.defaults(project), new RecordingReporter()).run();
        return new ReleaseRenderer(run)
                .renderedRelease("prod", NO_ARTIFACTS, run.sourceFiles(), ReleaseDirChanges.none());
    }

    @Test
    void theManifestARenderWroteIsTheOneReadBackAndAnUpToDateReleaseHandsOverNone() throws IOException {
        write(basedir, "src/main/facsimile/facsimile.yaml", "app: {name: shop}");
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: /srv/shop}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");
        Path script = write(basedir, "src/main/facsimile/extra/_ALL_/_DEPLOY_/bin/run.sh", "#!/bin/sh");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

        Rendered rendered = render();

        Path manifest = rendered.releaseDir().resolve("manifest.json");
        assertThat(rendered.written()).isNotNull();
        assertThat(rendered.written().json()).isEqualTo(Files.readAllBytes(manifest));
        assertThat(rendered.written().manifest()).isEqualTo(Manifest.read(manifest));
        assertThat(rendered.written()
                        .manifest()
                        .entry("bin/run.sh")
                        .orElseThrow()
                        .mode())
                .isEqualTo("0750");

        // found up to date, the next run writes no manifest: its deploy reads the release dir's
        assertThat(render().written()).isNull();
    }

    @Test
    void theDeployOfTheRunThatRenderedDeploysTheManifestItWroteWithoutReadingItBack() throws IOException {
        write(basedir, "src/main/facsimile/facsimile.yaml", "app: {name: shop}");
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: home}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "name=$instance.app.name");
        Path manifest = basedir.resolve("target/facsimile/prod/manifest.json");
        // the file is spoilt right after the render wrote it: only a deploy that reads it back notices
        Reporter spoiling = new Reporter() {
            @Override
            public void info(String message) {
                if (message.startsWith("prod: ") && message.contains(" written, ")) {
                    try {
                        Files.writeString(manifest, "not a manifest");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void debug(String message) {}

            @Override
            public void warn(String message) {}
        };
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
        DeployOptions options = new DeployOptions(Set.of(), false, null);

        new Facsimile(FacsimileConfig.defaults(project), spoiling)
                .deploy("prod", options, NO_ARTIFACTS)
                .requireOk();

        assertThat(manifest).hasContent("not a manifest");
        assertThat(basedir.resolve("home/current/etc/app.conf")).hasContent("name=shop");
    }
}

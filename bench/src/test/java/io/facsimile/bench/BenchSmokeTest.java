package io.facsimile.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every scenario once on a 2×5×2 project, so the default build proves the bench still works.
 * No timing is asserted: only that each scenario ran and produced its output. The maven-resources
 * peer is left out (a nested {@code mvn} would cost seconds); cp, tar and rsync run when installed.
 */
class BenchSmokeTest {

    @TempDir
    Path work;

    @Test
    void everyScenarioRunsOnceOnATinyProject() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Bench.Options options = new Bench.Options(
                work.resolve("bench"),
                1,
                new Shape(2, 5, 2),
                new Shape(3, 5, 2),
                20,
                false,
                new LinkedHashSet<>(Bench.SCENARIOS),
                System.getProperty("java.class.path"));
        Bench bench = new Bench(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        List<Row> rows = bench.run();

        assertThat(rows)
                .extracting(Row::what)
                .anyMatch(w -> w.startsWith("full render"))
                .anyMatch(w -> w.startsWith("re-render, nothing changed"))
                .anyMatch(w -> w.startsWith("package every instance"))
                .anyMatch(w -> w.startsWith("validate"))
                .anyMatch(w -> w.startsWith("redeploy unchanged"));
        assertThat(rows).allSatisfy(row -> assertThat(row.facsimileMs()).isNotEmpty());
        Path render = work.resolve("bench/render");
        assertThat(render.resolve("target/facsimile/i0001").resolve(ProjectGenerator.templatePath(4)))
                .content(StandardCharsets.UTF_8)
                .contains("port=9001")
                .contains("value.7=i0001-v7");
        assertThat(render.resolve("target/bench-1.0.0-i0001.tar.gz")).isNotEmptyFile();
        assertThat(work.resolve("bench/deploy/target/deployed/i0000/current")).exists();
        assertThat(bench.heapLines()).hasSize(4).last().asString().startsWith("| 2 |");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("### render", "### deploy", "### heap");
        assertThat(Files.exists(render.resolve("target/cp"))).isTrue();
    }
}

package io.facsimile.bench;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.api.BundleRequest;
import io.facsimile.core.api.DeployOptions;
import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.FacsimileConfig;
import io.facsimile.core.api.Reporter;
import io.facsimile.core.api.Validation;
import io.facsimile.core.bundle.BundleFormat;
import io.facsimile.core.deploy.DeployEngine;
import io.facsimile.core.deploy.DeployListener;
import io.facsimile.core.deploy.DeployReport;
import io.facsimile.core.deploy.DeployRequest;
import io.facsimile.core.deploy.DeploySpec;
import io.facsimile.core.deploy.NodeResult;
import io.facsimile.core.deploy.ReleaseSource;
import io.facsimile.core.deploy.local.LocalTransport;
import io.facsimile.core.install.ArtifactResolver;
import io.facsimile.core.install.InstallException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark: generates synthetic projects and runs the scenarios of issue 8, printing one
 * markdown table per scenario with Facsimile's median, the peer's median measured in the same
 * invocation, and their ratio. Facsimile is timed through the core facade in this JVM (the work of
 * the goal, without Maven's start-up); maven-resources is timed from its own log inside a real
 * {@code mvn} run (see {@link MavenResourcesPeer}); cp, tar and rsync are timed as child processes.
 * The {@code cold} scenario times render as a user runs it, whole {@code mvn} processes (see {@link ColdRender}).
 *
 * <p>Usage: {@code Bench [--work DIR] [--runs N] [--shape 20x500x10] [--validate-shape 1000x50x10]
 * [--deploy-files 10000] [--no-maven] [--scenarios render,rerender,cold,package,validate,deploy,heap]}
 */
public final class Bench {

    /** Every scenario, in the order they run. */
    public static final List<String> SCENARIOS =
            List.of("render", "rerender", "cold", "package", "validate", "deploy", "heap");

    /**
     * What to run.
     *
     * @param work a scratch directory; emptied first
     * @param runs measured runs per row (after one warm-up run)
     * @param shape the project for render, re-render and package
     * @param validateShape the project for validate (the 1,000-instance variant)
     * @param deployFiles files in the deploy tree of the deploy scenario
     * @param mavenPeer whether to run the maven-resources peer (needs {@code mvn} and the plugin in the local repository)
     * @param scenarios which scenarios to run
     * @param classpath the class path for the heap scenario's child JVMs
     */
    public record Options(
            Path work,
            int runs,
            Shape shape,
            Shape validateShape,
            int deployFiles,
            boolean mavenPeer,
            Set<String> scenarios,
            String classpath) {}

    private static final ArtifactResolver NO_ARTIFACTS = coordinates -> {
        throw new InstallException("the bench projects use no artifacts: " + coordinates);
    };

    private final Options options;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> heapLines = new ArrayList<>();
    private double fullRenderMedian = Double.NaN;

    public Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        Path work = Path.of("bench/target/work");
        int runs = 5;
        Shape shape = new Shape(20, 500, 10);
        Shape validateShape = new Shape(1000, 50, 10);
        int deployFiles = 10_000;
        boolean maven = true;
        Set<String> scenarios = new LinkedHashSet<>(SCENARIOS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--shape" -> shape = Shape.parse(args[++i]);
                case "--validate-shape" -> validateShape = Shape.parse(args[++i]);
                case "--deploy-files" -> deployFiles = Integer.parseInt(args[++i]);
                case "--no-maven" -> maven = false;
                case "--scenarios" -> scenarios = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; see the javadoc of io.facsimile.bench.Bench or bench/README.md");
            }
        }
        Options options = new Options(
                work.toAbsolutePath(),
                runs,
                shape,
                validateShape,
                deployFiles,
                maven,
                scenarios,
                System.getProperty("java.class.path"));
        new Bench(options, System.out).run();
    }

    /** Runs the selected scenarios and prints their tables; returns every row. */
    public List<Row> run() {
        out.printf(
                Locale.ROOT,
                "Facsimile bench: shape %s, validate %s, deploy tree %d files, %d runs, %d cores, java %s%n",
                options.shape(),
                options.validateShape(),
                options.deployFiles(),
                options.runs(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        delete(options.work());
        for (String scenario : SCENARIOS) {
            if (!options.scenarios().contains(scenario)) {
                continue;
            }
            int before = rows.size();
            switch (scenario) {
                case "render" -> render();
                case "rerender" -> rerender();
                case "cold" -> cold();
                case "package" -> bundle();
                case "validate" -> validate();
                case "deploy" -> deploy();
                case "heap" -> heap();
                default -> throw new IllegalStateException(scenario);
            }
            print(scenario, rows.subList(before, rows.size()));
        }
        return List.copyOf(rows);
    }

    /** Lines of the heap scenario's table, for tests. */
    List<String> heapLines() {
        return List.copyOf(heapLines);
    }

    private void print(String scenario, List<Row> scenarioRows) {
        out.println();
        out.println("### " + scenario);
        out.println();
        // other builds on a shared machine inflate every figure; say how busy it was
        out.println("load average at the end of the scenario: " + loadAverage());
        out.println();
        if (scenario.equals("heap")) {
            heapLines.forEach(out::println);
            return;
        }
        out.println(Row.HEADER);
        scenarioRows.forEach(row -> out.println(row.markdown()));
        out.flush();
    }

    // ---- 1. full render

    private Path renderProject() {
        Path project = options.work().resolve("render");
        if (!Files.isDirectory(project)) {
            ProjectGenerator.generate(project, options.shape());
        }
        return project;
    }

    private void render() {
        Path project = renderProject();
        Facsimile facsimile = facsimile(project);
        List<String> instances = ProjectGenerator.instances(options.shape());
        Path releases = project.resolve("target/facsimile");
        long cold = System.nanoTime();
        renderAll(facsimile, instances);
        double coldMs = Stats.millisSince(cold);
        List<Double> facs = new ArrayList<>();
        List<Double> maven = new ArrayList<>();
        List<Double> mavenWall = new ArrayList<>();
        List<Double> cp = new ArrayList<>();
        for (int r = 0; r < options.runs(); r++) {
            delete(releases);
            long start = System.nanoTime();
            renderAll(facsimile, instances);
            facs.add(Stats.millisSince(start));
            if (options.mavenPeer()) {
                delete(project.resolve("target/mr"));
                MavenResourcesPeer.Timing timing = MavenResourcesPeer.run(project);
                maven.add(timing.pluginMillis());
                mavenWall.add(timing.wallMillis());
            }
            delete(project.resolve("target/cp"));
            cp.add(External.sh(project, "cp -r target/facsimile target/cp").millis());
        }
        fullRenderMedian = Stats.median(facs);
        long files = options.shape().files();
        String label = "full render, " + options.shape().instances() + " instances, " + files + " files";
        rows.add(new Row(
                label + " (first run in this JVM: " + String.format(Locale.ROOT, "%.0f", coldMs) + " ms)",
                facs,
                "maven-resources copy-resources, plugin time",
                maven,
                "ratio ≤ 0.33",
                maven.isEmpty() ? null : Stats.median(facs) / Stats.median(maven) <= 1 / 3.0));
        if (!mavenWall.isEmpty()) {
            rows.add(new Row(label, facs, "whole `mvn generate-resources` wall time", mavenWall, null, null));
        }
        rows.add(new Row(
                label, facs, "`cp -r` of the output", cp, "ratio ≤ 3", Stats.median(facs) / Stats.median(cp) <= 3));
    }

    // ---- 2. re-render

    private void rerender() {
        Path project = renderProject();
        Facsimile facsimile = facsimile(project);
        List<String> instances = ProjectGenerator.instances(options.shape());
        renderAll(facsimile, instances);
        List<Double> full = new ArrayList<>();
        if (Double.isNaN(fullRenderMedian)) {
            for (int r = 0; r < options.runs(); r++) {
                delete(project.resolve("target/facsimile"));
                long start = System.nanoTime();
                renderAll(facsimile, instances);
                full.add(Stats.millisSince(start));
            }
        } else {
            full.add(fullRenderMedian);
        }
        List<Double> unchanged = new ArrayList<>();
        List<Double> oneChanged = new ArrayList<>();
        Path template = project.resolve("src/main/facsimile/tmpl/_ALL_").resolve(ProjectGenerator.templatePath(0));
        for (int r = 0; r < options.runs(); r++) {
            long start = System.nanoTime();
            renderAll(facsimile, instances);
            unchanged.add(Stats.millisSince(start));
            append(template, "changed in run " + r + "\n");
            start = System.nanoTime();
            renderAll(facsimile, instances);
            oneChanged.add(Stats.millisSince(start));
        }
        double fullMedian = Stats.median(full);
        rows.add(new Row(
                "re-render, nothing changed",
                unchanged,
                "Facsimile full render",
                full,
                "ratio < 0.10",
                Stats.median(unchanged) / fullMedian < 0.10));
        rows.add(new Row("re-render, one template changed", oneChanged, "Facsimile full render", full, null, null));
    }

    // ---- 2b. render from a cold JVM: whole mvn processes

    private void cold() {
        if (!options.mavenPeer()) {
            out.println();
            out.println("cold: skipped (--no-maven): it runs whole mvn processes");
            return;
        }
        rows.addAll(new ColdRender(
                        options.work(),
                        options.shape(),
                        options.runs(),
                        Path.of("").toAbsolutePath())
                .run());
    }

    // ---- 3. package

    private void bundle() {
        Path project = renderProject();
        Facsimile facsimile = facsimile(project);
        List<String> instances = ProjectGenerator.instances(options.shape());
        BundleRequest request = new BundleRequest(BundleFormat.TAR_GZ, false, Instant.parse("2026-01-01T00:00:00Z"));
        facsimile.bundle(instances, request, NO_ARTIFACTS);
        String tarAll = "mkdir -p target/tar && for i in " + String.join(" ", instances)
                + "; do tar czf target/tar/$i.tar.gz -C target/facsimile $i || exit 1; done";
        List<Double> facs = new ArrayList<>();
        List<Double> tar = new ArrayList<>();
        List<Double> changed = new ArrayList<>();
        Path template = project.resolve("src/main/facsimile/tmpl/_ALL_").resolve(ProjectGenerator.templatePath(0));
        for (int r = 0; r < options.runs(); r++) {
            long start = System.nanoTime();
            facsimile.bundle(instances, request, NO_ARTIFACTS);
            facs.add(Stats.millisSince(start));
            delete(project.resolve("target/tar"));
            tar.add(External.sh(project, tarAll).millis());
            append(template, "changed in package run " + r + "\n");
            start = System.nanoTime();
            facsimile.bundle(instances, request, NO_ARTIFACTS);
            changed.add(Stats.millisSince(start));
        }
        rows.add(new Row(
                "package every instance, rendered trees up to date (stamp check + sealed copy check + tar.gz), "
                        + instances.size() + " bundles",
                facs,
                "`tar czf` of each release dir",
                tar,
                "ratio ≤ 1.5",
                Stats.median(facs) / Stats.median(tar) <= 1.5));
        rows.add(new Row(
                "package every instance after one template changed (render + sealed copy + secret check +" + " tar.gz)",
                changed,
                "`tar czf` of each release dir",
                tar,
                null,
                null));
    }

    // ---- 4. validate

    private void validate() {
        Shape shape = options.validateShape();
        Path project = options.work().resolve("validate");
        ProjectGenerator.generate(project, shape);
        Facsimile facsimile = facsimile(project);
        List<String> instances = ProjectGenerator.instances(shape);
        long cold = System.nanoTime();
        Validation first = facsimile.validate(instances, NO_ARTIFACTS);
        double coldMs = Stats.millisSince(cold);
        if (!first.isValid() || first.summaries().size() != instances.size()) {
            throw new IllegalStateException("validate of the generated project failed: " + first.errors());
        }
        List<Double> facs = new ArrayList<>();
        for (int r = 0; r < options.runs(); r++) {
            long start = System.nanoTime();
            facsimile.validate(instances, NO_ARTIFACTS);
            facs.add(Stats.millisSince(start));
        }
        rows.add(new Row(
                String.format(
                        Locale.ROOT,
                        "validate %s (%d renders in memory; first run in this JVM: %.0f ms)",
                        shape,
                        shape.files(),
                        coldMs),
                facs,
                null,
                List.of(),
                "< 5000 ms",
                Stats.median(facs) < 5000 && coldMs < 5000));
    }

    // ---- 5. local deploy

    private void deploy() {
        Shape shape = new Shape(1, options.deployFiles(), options.shape().modules());
        Path project = options.work().resolve("deploy");
        ProjectGenerator.generate(project, shape);
        Facsimile facsimile = facsimile(project);
        String instance = ProjectGenerator.instance(0);
        Path releaseDir = facsimile.render(instance, NO_ARTIFACTS);
        Path home = project.resolve("target/deployed").resolve(instance);
        Path template = project.resolve("src/main/facsimile/tmpl/_ALL_").resolve(ProjectGenerator.templatePath(0));
        DeployOptions deployOptions = new DeployOptions(Set.of(), false, null);
        boolean rsync = External.available("rsync");
        String rsyncCommand = "rsync -a --delete target/facsimile/" + instance + "/_DEPLOY_/ target/rsync/";
        List<Double> first = new ArrayList<>();
        List<Double> firstPeer = new ArrayList<>();
        List<Double> again = new ArrayList<>();
        List<Double> againEngine = new ArrayList<>();
        List<Double> againPeer = new ArrayList<>();
        List<Double> changed = new ArrayList<>();
        List<Double> changedPeer = new ArrayList<>();
        // one warm-up deploy, so the JIT has seen the deploy code before the first timed run
        requireOk(facsimile.deploy(instance, deployOptions, NO_ARTIFACTS));
        for (int r = 0; r < options.runs(); r++) {
            delete(home);
            long start = System.nanoTime();
            requireOk(facsimile.deploy(instance, deployOptions, NO_ARTIFACTS));
            first.add(Stats.millisSince(start));
            if (rsync) {
                delete(project.resolve("target/rsync"));
                firstPeer.add(External.sh(project, "mkdir -p target/rsync && " + rsyncCommand)
                        .millis());
            }
            start = System.nanoTime();
            requireOk(facsimile.deploy(instance, deployOptions, NO_ARTIFACTS));
            again.add(Stats.millisSince(start));
            start = System.nanoTime();
            requireOk(engineDeploy(releaseDir, home));
            againEngine.add(Stats.millisSince(start));
            if (rsync) {
                againPeer.add(External.sh(project, rsyncCommand).millis());
            }
            append(template, "changed in run " + r + "\n");
            start = System.nanoTime();
            requireOk(facsimile.deploy(instance, deployOptions, NO_ARTIFACTS));
            changed.add(Stats.millisSince(start));
            if (rsync) {
                changedPeer.add(External.sh(project, rsyncCommand).millis());
            }
        }
        String peer = rsync ? "`rsync -a --delete` of the deploy tree" : "rsync (not installed)";
        String files = options.deployFiles() + " files";
        rows.add(new Row(
                "first deploy, " + files + " (render check + stage + switch)", first, peer, firstPeer, null, null));
        rows.add(new Row(
                "redeploy unchanged (deploy goal: render check + deploy)",
                again,
                peer,
                againPeer,
                "ratio ≤ 1",
                rsync ? Stats.median(again) <= Stats.median(againPeer) : null));
        rows.add(new Row(
                "redeploy unchanged (deploy engine only, tree already rendered)",
                againEngine,
                peer,
                againPeer,
                "ratio ≤ 1",
                rsync ? Stats.median(againEngine) <= Stats.median(againPeer) : null));
        rows.add(new Row(
                "redeploy, one file changed (render + stage + switch)", changed, peer, changedPeer, null, null));
    }

    private static DeployReport engineDeploy(Path releaseDir, Path home) {
        DeployRequest request = new DeployRequest(
                ReleaseSource.of(releaseDir, "1.0.0"), DeploySpec.local(home.toString()), Set.of(), false, Set.of());
        return DeployEngine.create(new QuietListener()).deploy(request, LocalTransport.factory(home));
    }

    private static void requireOk(DeployReport report) {
        if (!report.ok()) {
            throw new IllegalStateException("deploy failed: " + report.failureMessage());
        }
    }

    /** Drops the engine's progress lines. */
    private static final class QuietListener implements DeployListener {
        @Override
        public void finished(NodeResult result) {}
    }

    // ---- 6. heap

    private void heap() {
        Path project = renderProject();
        heapLines.add(
                "| instances rendered one after another | peak heap used MB | heap after GC, after 1st instance MB | heap after GC, after last instance MB |");
        heapLines.add("|---:|---:|---:|---:|");
        for (int n : new int[] {1, options.shape().instances()}) {
            delete(project.resolve("target/facsimile"));
            String line = External.run(
                            project,
                            List.of(
                                    javaBinary(),
                                    "-Xmx1g",
                                    "-cp",
                                    options.classpath(),
                                    HeapProbe.class.getName(),
                                    project.toString(),
                                    String.valueOf(n)))
                    .output()
                    .strip();
            String last = line.lines().reduce((a, b) -> b).orElse("");
            heapLines.add(last);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- helpers

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute figures, or {@code unknown} off Linux. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
                    .split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static Facsimile facsimile(Path project) {
        ProjectContext context = ProjectContext.of(project, "bench", "bench", "1.0.0");
        return new Facsimile(FacsimileConfig.defaults(context), Reporter.silent());
    }

    /** As the render goal does: the instances one per core at a time. */
    static void renderAll(Facsimile facsimile, List<String> instances) {
        facsimile.render(instances, NO_ARTIFACTS);
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

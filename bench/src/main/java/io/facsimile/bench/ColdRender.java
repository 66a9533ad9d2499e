package io.facsimile.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Render as a user runs it: a fresh {@code mvn} for each step, on the generated project, with the plugin
 * built by this reactor. Each run times five whole processes one after another: the full render
 * ({@code mvn facsimile:render} with no release dir), the unchanged re-render (the same again), the same
 * once more (which takes the record the one before left, {@code target/facsimile/.unchanged-run}), Maven's
 * floor ({@code mvn -o validate} of the same project, which runs no plugin) and the peer
 * ({@code mvn process-resources}: maven-resources-plugin filtering the same templates). Each full run
 * starts right after its own output was deleted, so that both sides meet the same file system. Last, the
 * lower bound of any render in that run: a whole {@code mvn facsimile:help} (Maven's start with the plugin
 * loaded, doing nothing) plus {@code cp -r} of the rendered tree, right after deleting the previous copy.
 *
 * <p>The plugin, {@code facsimile-core} and the parent pom are copied from the reactor's {@code target}
 * directories into a repository of the bench's own ({@code <work>/cold/repo}); every other artifact is
 * taken from {@code ~/.m2/repository} through a {@code file:} repository in a settings file of the
 * bench's own, so nothing is installed into {@code ~/.m2}. A first, untimed run of each step fills that
 * repository; the timed ones run offline. Where {@code /usr/bin/time} is installed, the CPU time of
 * each process is reported too.
 */
final class ColdRender {

    private final Path work;
    private final Shape shape;
    private final int runs;
    private final Path reactor;

    /** @param reactor the repository root, whose modules have been packaged */
    ColdRender(Path work, Shape shape, int runs, Path reactor) {
        this.work = work.resolve("cold");
        this.shape = shape;
        this.runs = runs;
        this.reactor = reactor;
    }

    /** The version of the plugin jar the reactor built. */
    static String pluginVersion(Path reactor) {
        String prefix = "facsimile-maven-plugin-";
        try (Stream<Path> files = Files.list(reactor.resolve("facsimile-maven-plugin/target"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(prefix)
                            && name.endsWith(".jar")
                            && !name.contains("-sources")
                            && !name.contains("-javadoc"))
                    .map(name -> name.substring(prefix.length(), name.length() - ".jar".length()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no plugin jar in facsimile-maven-plugin/target: "
                            + "run mvn package -pl facsimile-maven-plugin -am first (bench/run.sh does)"));
        } catch (IOException e) {
            throw new UncheckedIOException("build the plugin first (bench/run.sh does)", e);
        }
    }

    List<Row> run() {
        String version = pluginVersion(reactor);
        Path repo = work.resolve("repo");
        install(repo, version);
        Path settings = settings(repo);
        Path project = work.resolve("project");
        if (!Files.isDirectory(project)) {
            ProjectGenerator.generate(project, shape);
        }
        String render = "io.facsimile:facsimile-maven-plugin:" + version + ":render";
        // untimed, online: fills the bench's repository from ~/.m2
        String help = "io.facsimile:facsimile-maven-plugin:" + version + ":help";
        for (String goal : List.of(render, "process-resources", "validate", help)) {
            mvn(project, settings, false, goal);
        }
        List<Timing> full = new ArrayList<>();
        List<Timing> unchanged = new ArrayList<>();
        List<Timing> again = new ArrayList<>();
        List<Timing> floor = new ArrayList<>();
        List<Timing> peer = new ArrayList<>();
        List<Double> bound = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            // whole processes on a shared machine: each run says how busy the machine was when it started
            System.out.println("cold run " + (r + 1) + "/" + runs + ": load average " + Bench.loadAverage());
            // each side's output is deleted right before its own full run, as `mvn clean` would: on an
            // ext4 without a journal, files created within a minute of many deletions cost the kernel a
            // scan past every recently deleted inode (recently_deleted() in ext4's inode allocator), so
            // deleting both trees first charged the 20,000 deletions to whichever side ran first
            Bench.delete(project.resolve("target/facsimile"));
            full.add(mvn(project, settings, true, render));
            // both no-ops take the record the full render left (target/facsimile/.unchanged-run): the second
            // shows how much one whole process moves
            unchanged.add(mvn(project, settings, true, render));
            again.add(mvn(project, settings, true, render));
            floor.add(mvn(project, settings, true, "validate"));
            Bench.delete(project.resolve("target/mr"));
            peer.add(mvn(project, settings, true, "process-resources"));
            // what no render can go below: Maven's start with the plugin loaded (its smallest goal, which does
            // nothing) and creating the same files as the render in the same conditions (the previous copy
            // deleted right before, as the render's output was)
            double start = mvn(project, settings, true, help).wallMillis();
            Bench.delete(project.resolve("target/copy"));
            bound.add(start
                    + External.run(project, List.of("cp", "-r", "target/facsimile", "target/copy"))
                            .millis());
        }
        String files = shape.instances() + " instances, " + shape.files() + " files";
        List<Row> rows = new ArrayList<>(List.of(
                new Row(
                        "full render, whole `mvn facsimile:render` (min " + min(wall(full)) + " ms), " + files,
                        wall(full),
                        "whole `mvn process-resources`, maven-resources filtering (min " + min(wall(peer)) + " ms)",
                        wall(peer),
                        "ratio ≤ 0.35",
                        Stats.median(wall(full)) / Stats.median(wall(peer)) <= 0.35),
                new Row(
                        "lower bound of any full render: whole `mvn facsimile:help` (Maven's start with the"
                                + " plugin loaded) + `cp -r` of the rendered tree (the previous copy deleted right"
                                + " before)",
                        bound,
                        "whole `mvn process-resources`",
                        wall(peer),
                        "— (the row above can meet ≤ 0.35 only if this ratio is below it)",
                        null),
                overTheFloor("unchanged re-render", unchanged, floor),
                overTheFloor("unchanged re-render again", again, floor)));
        if (full.stream().allMatch(t -> t.cpuMillis() >= 0)) {
            // CPU time (user + sys of the whole process) moves much less than wall time when other builds
            // share the machine
            rows.add(new Row(
                    "full render, CPU time of the whole `mvn` (user + sys)",
                    cpu(full),
                    "CPU time of the whole `mvn process-resources`",
                    cpu(peer),
                    null,
                    null));
            rows.add(new Row(
                    String.format(
                            Locale.ROOT,
                            "unchanged re-render, CPU time of the whole `mvn`" + " (%+.0f ms over the floor)",
                            Stats.median(cpu(unchanged)) - Stats.median(cpu(floor))),
                    cpu(unchanged),
                    "CPU time of the whole `mvn -o validate`",
                    cpu(floor),
                    null,
                    null));
        }
        return rows;
    }

    /** A no-op {@code mvn facsimile:render} against Maven's floor, with issue 20's target of floor + 300 ms. */
    private static Row overTheFloor(String what, List<Timing> timings, List<Timing> floor) {
        double over = Stats.median(wall(timings)) - Stats.median(wall(floor));
        return new Row(
                String.format(
                        Locale.ROOT,
                        "%s, whole `mvn facsimile:render` (min %s ms; %+.0f ms over the floor)",
                        what,
                        min(wall(timings)),
                        over),
                wall(timings),
                "Maven's floor: whole `mvn -o validate` (min " + min(wall(floor)) + " ms)",
                wall(floor),
                "≤ floor + 300 ms",
                over <= 300);
    }

    /** Wall time and CPU time (user + sys, -1 when unknown) of one whole process, ms. */
    record Timing(double wallMillis, double cpuMillis) {}

    private static List<Double> wall(List<Timing> timings) {
        return timings.stream().map(Timing::wallMillis).toList();
    }

    private static List<Double> cpu(List<Timing> timings) {
        return timings.stream().map(Timing::cpuMillis).toList();
    }

    private static String min(List<Double> samples) {
        return String.format(Locale.ROOT, "%.0f", Collections.min(samples));
    }

    private static final String TIME = "/usr/bin/time";
    private static final String CPU_MARK = "bench-cpu-seconds";

    /** Runs one whole {@code mvn}, under {@code /usr/bin/time} where there is one for its CPU time. */
    private static Timing mvn(Path project, Path settings, boolean offline, String goal) {
        List<String> command = new ArrayList<>();
        boolean timed = Files.isExecutable(Path.of(TIME));
        if (timed) {
            command.addAll(List.of(TIME, "-f", CPU_MARK + " %U %S"));
        }
        command.addAll(List.of("mvn", "-B", "-ntp", "-q", "-Dstyle.color=never", "-s", settings.toString()));
        if (offline) {
            command.add("-o");
        }
        command.add(goal);
        External.Result result = External.run(project, command);
        double cpu = -1;
        for (String line : result.output().split("\n")) {
            int mark = line.indexOf(CPU_MARK + " "); // after whatever mvn -q printed without a line end
            if (timed && mark >= 0) {
                String[] seconds = line.substring(mark).strip().split(" ");
                cpu = (Double.parseDouble(seconds[1]) + Double.parseDouble(seconds[2])) * 1000;
            }
        }
        return new Timing(result.millis(), cpu);
    }

    /** Copies the parent pom, the core and the plugin from the reactor into {@code repo}. */
    private void install(Path repo, String version) {
        copy(reactor.resolve("pom.xml"), repo, "facsimile-parent", version, "pom");
        for (String module : List.of("facsimile-core", "facsimile-maven-plugin")) {
            // the plugin's jar carries its dependencies: its installed pom is the flattened one, which names
            // no parent and no dependency
            Path flattened = reactor.resolve(module).resolve("target/flattened-pom.xml");
            copy(
                    Files.isRegularFile(flattened)
                            ? flattened
                            : reactor.resolve(module).resolve("pom.xml"),
                    repo,
                    module,
                    version,
                    "pom");
            copy(
                    reactor.resolve(module).resolve("target").resolve(module + "-" + version + ".jar"),
                    repo,
                    module,
                    version,
                    "jar");
        }
    }

    private static void copy(Path from, Path repo, String artifactId, String version, String extension) {
        Path dir = repo.resolve("io/facsimile").resolve(artifactId).resolve(version);
        try {
            Files.createDirectories(dir);
            Files.copy(
                    from,
                    dir.resolve(artifactId + "-" + version + "." + extension),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " into the bench's repository", e);
        }
    }

    private Path settings(Path repo) {
        String m2 = Path.of(System.getProperty("user.home"), ".m2/repository")
                .toUri()
                .toString();
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- written by io.facsimile.bench.ColdRender: the bench's own repository, filled from ~/.m2 -->
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles>
                    <profile>
                      <id>m2</id>
                      <activation><activeByDefault>true</activeByDefault></activation>
                      <repositories><repository><id>m2</id><url>%s</url></repository></repositories>
                      <pluginRepositories><pluginRepository><id>m2</id><url>%s</url></pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                </settings>
                """.formatted(repo.toAbsolutePath(), m2, m2);
        Path file = work.resolve("settings.xml");
        try {
            Files.createDirectories(work);
            Files.writeString(file, xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}

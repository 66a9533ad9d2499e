package io.facsimile.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a synthetic Facsimile project of a given {@link Shape}, together with the same templates
 * translated to {@code ${}} tokens and a pom that filters them with maven-resources-plugin's
 * {@code copy-resources}, one execution per instance, so both tools render the same files.
 *
 * <p>Each template is 24 lines: 20 references into the definition, the module and {@code $facs},
 * 4 lines of plain text. The maven-resources copy reads one flattened properties file per instance
 * holding the same values (module passwords are stand-ins of the same length: the peer has no state).
 */
public final class ProjectGenerator {

    /** Values in the base layer that the templates reference ({@code app.v0}…). */
    static final int VALUES = 16;

    private ProjectGenerator() {}

    /** The name of instance {@code i}. */
    public static String instance(int i) {
        return String.format(Locale.ROOT, "i%04d", i);
    }

    /** Every instance name of a shape, in order. */
    public static List<String> instances(Shape shape) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shape.instances(); i++) {
            names.add(instance(i));
        }
        return names;
    }

    /** Relative path, below {@code tmpl/_ALL_}, of template {@code t}: 20 directories under {@code _DEPLOY_/etc}. */
    public static String templatePath(int t) {
        return String.format(Locale.ROOT, "_DEPLOY_/etc/d%02d/f%05d.conf", t % 20, t);
    }

    /**
     * Writes the project into {@code root} (which must not exist or be empty).
     *
     * @return {@code root}
     */
    public static Path generate(Path root, Shape shape) {
        try {
            Path defs = root.resolve("src/main/facsimile");
            Files.createDirectories(defs);
            write(defs.resolve("facsimile.yaml"), baseLayer());
            write(defs.resolve("bench.yaml"), "app:\n  title: Bench (${instance})\n");
            write(defs.resolve("modules.yaml"), modules(shape));
            Path filters = root.resolve("src/bench/filters");
            Files.createDirectories(filters);
            for (int i = 0; i < shape.instances(); i++) {
                write(defs.resolve(instance(i) + ".yaml"), instanceLayer(i));
                write(filters.resolve(instance(i) + ".properties"), filterProperties(i, shape));
            }
            Path tmpl = defs.resolve("tmpl/_ALL_");
            Path translated = root.resolve("src/bench/resources");
            for (int t = 0; t < shape.templates(); t++) {
                String velocity = template(t, shape, false);
                write(tmpl.resolve(templatePath(t)), velocity);
                write(translated.resolve(templatePath(t)), template(t, shape, true));
            }
            write(root.resolve("pom.xml"), pom(shape));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String baseLayer() {
        StringBuilder b = new StringBuilder();
        b.append("app:\n  name: bench\n  port: 8080\n  log_level: info\n");
        for (int v = 0; v < VALUES; v++) {
            b.append("  v").append(v).append(": base-value-").append(v).append('\n');
        }
        b.append(
                "db:\n  host: localhost\n  port: 5432\n  url: jdbc:postgresql://${ref:db.host}:${ref:db.port}/bench\n");
        b.append("deploy:\n  home: target/deployed/${instance}\n");
        return b.toString();
    }

    private static String instanceLayer(int i) {
        return "app:\n  port: " + (9000 + i) + "\n  v3: " + instance(i) + "-v3\n  v7: " + instance(i) + "-v7\n"
                + "db:\n  host: db." + instance(i) + ".example.net\n";
    }

    private static String modules(Shape shape) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < shape.modules(); k++) {
            b.append("- name: m")
                    .append(k)
                    .append("\n  freeform:\n    pool_size: ")
                    .append(5 + k)
                    .append('\n');
        }
        return b.toString();
    }

    /** The same values the Velocity templates see, flattened, for maven-resources filtering. */
    private static String filterProperties(int i, Shape shape) {
        StringBuilder b = new StringBuilder();
        b.append("facs.instance=").append(instance(i)).append('\n');
        b.append("app.name=bench\napp.port=").append(9000 + i).append("\napp.log_level=info\n");
        for (int v = 0; v < VALUES; v++) {
            String value = v == 3 || v == 7 ? instance(i) + "-v" + v : "base-value-" + v;
            b.append("app.v").append(v).append('=').append(value).append('\n');
        }
        b.append("db.url=jdbc:postgresql://db.").append(instance(i)).append(".example.net:5432/bench\n");
        for (int k = 0; k < shape.modules(); k++) {
            b.append("module.m").append(k).append(".username=m").append(k).append('\n');
            b.append("module.m")
                    .append(k)
                    .append(".password=")
                    .append("x".repeat(32))
                    .append('\n');
            b.append("module.m")
                    .append(k)
                    .append(".freeform.pool_size=")
                    .append(5 + k)
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * Template {@code t}: 24 lines. With {@code translated}, the maven-resources form: every
     * {@code $a.b.c} becomes {@code ${a.b.c}} with the leading {@code instance.} dropped (the filter
     * properties are the flattened definition).
     */
    static String template(int t, Shape shape, boolean translated) {
        String m = "m" + (t % shape.modules());
        List<String> lines = new ArrayList<>();
        lines.add("[section " + t + "] rendered for " + ref("facs.instance", translated));
        lines.add("name=" + ref("instance.app.name", translated));
        lines.add("port=" + ref("instance.app.port", translated));
        lines.add("log_level=" + ref("instance.app.log_level", translated));
        lines.add("db.url=" + ref("instance.db.url", translated));
        lines.add("db.user=" + ref("module." + m + ".username", translated));
        lines.add("db.password=" + ref("module." + m + ".password", translated));
        lines.add("db.pool_size=" + ref("module." + m + ".freeform.pool_size", translated));
        for (int v = 0; v < VALUES; v++) {
            lines.add("value." + v + "=" + ref("instance.app.v" + v, translated) + " (plain text after the value)");
        }
        while (lines.size() < 24) {
            lines.add("plain line " + lines.size() + " of template " + t + ", copied as it is");
        }
        return String.join("\n", lines) + "\n";
    }

    private static String ref(String path, boolean translated) {
        if (!translated) {
            return "${" + path + "}";
        }
        return "${" + (path.startsWith("instance.") ? path.substring("instance.".length()) : path) + "}";
    }

    private static String pom(Shape shape) {
        StringBuilder executions = new StringBuilder();
        for (int i = 0; i < shape.instances(); i++) {
            String name = instance(i);
            executions.append("""
                      <execution>
                        <id>%s</id>
                        <phase>generate-resources</phase>
                        <goals><goal>copy-resources</goal></goals>
                        <configuration>
                          <outputDirectory>${project.build.directory}/mr/%s</outputDirectory>
                          <filters><filter>src/bench/filters/%s.properties</filter></filters>
                          <resources><resource><directory>src/bench/resources</directory><filtering>true</filtering></resource></resources>
                        </configuration>
                      </execution>
                    """.formatted(name, name, name));
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <!-- generated by io.facsimile.bench.ProjectGenerator: the maven-resources peer of the bench -->
                  <groupId>bench</groupId>
                  <artifactId>bench</artifactId>
                  <version>1.0.0</version>
                  <packaging>pom</packaging>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>3.3.1</version>
                        <executions>
                %s        </executions>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(executions);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}

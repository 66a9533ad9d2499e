package io.facsimile.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What Facsimile needs to know about the project that uses it. The Maven plugin builds one from the
 * {@code MavenProject}; tests and other programs build one directly.
 *
 * @param basedir the project directory ({@code $SRC_DIR$})
 * @param buildDirectory the build output directory, usually {@code target} ({@code $BUILD_DIR$})
 * @param groupId the project's groupId
 * @param artifactId the project's artifactId
 * @param version the project's version
 * @param projectName the name of the project layer; by default the artifactId
 * @param properties the project's properties, for {@code ${prop.NAME}}
 * @param environment environment variables, for {@code ${env.NAME}}
 */
public record ProjectContext(
        Path basedir,
        Path buildDirectory,
        String groupId,
        String artifactId,
        String version,
        String projectName,
        Map<String, String> properties,
        Map<String, String> environment) {

    public ProjectContext {
        Objects.requireNonNull(basedir, "basedir");
        Objects.requireNonNull(buildDirectory, "buildDirectory");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        projectName = projectName == null || projectName.isBlank() ? artifactId : projectName;
        properties = Map.copyOf(properties);
        environment = Map.copyOf(environment);
    }

    /** A context for a project in {@code basedir} with {@code target} as build directory and the process environment. */
    public static ProjectContext of(Path basedir, String groupId, String artifactId, String version) {
        return new ProjectContext(
                basedir,
                basedir.resolve("target"),
                groupId,
                artifactId,
                version,
                artifactId,
                Map.of(),
                System.getenv());
    }

    /** A copy with other environment variables. */
    public ProjectContext withEnvironment(Map<String, String> env) {
        return new ProjectContext(basedir, buildDirectory, groupId, artifactId, version, projectName, properties, env);
    }

    /** A copy with other project properties. */
    public ProjectContext withProperties(Map<String, String> props) {
        return new ProjectContext(
                basedir, buildDirectory, groupId, artifactId, version, projectName, props, environment);
    }

    /** A copy with another project name. */
    public ProjectContext withProjectName(String name) {
        return new ProjectContext(basedir, buildDirectory, groupId, artifactId, version, name, properties, environment);
    }
}

package io.facsimile.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

    /**
     * Before the name of a project property when it is kept among the inputs a rendering read, beside the
     * names of the environment variables its definition looked up: no variable's name holds a {@code =}.
     */
    public static final String PROPERTY_INPUT = "property=";

    /** The input a rendering read when it went through every project property. */
    public static final String ALL_PROPERTIES_INPUT = "properties=*";

    /** Whether an input's name is a project property's ({@link #propertyInput}, {@link #ALL_PROPERTIES_INPUT}). */
    public static boolean isPropertyInput(String name) {
        return name.startsWith(PROPERTY_INPUT) || name.equals(ALL_PROPERTIES_INPUT);
    }

    /** The input name of project property {@code name}. */
    public static String propertyInput(String name) {
        return PROPERTY_INPUT + name;
    }

    /**
     * The value of an input a rendering read: an environment variable's, a project property's
     * ({@link #propertyInput}), or every property as one text ({@link #ALL_PROPERTIES_INPUT}, each name and
     * value after its length, so that no two sets of properties give the same text); {@code null} when
     * not set.
     */
    public String input(String name) {
        if (name.equals(ALL_PROPERTIES_INPUT)) {
            StringBuilder all = new StringBuilder();
            new TreeMap<>(properties)
                    .forEach((key, value) -> all.append(key.length())
                            .append(':')
                            .append(key)
                            .append(value.length())
                            .append(':')
                            .append(value));
            return all.toString();
        }
        if (name.startsWith(PROPERTY_INPUT)) {
            return properties.get(name.substring(PROPERTY_INPUT.length()));
        }
        return environment.get(name);
    }

    /** A copy with another project name. */
    public ProjectContext withProjectName(String name) {
        return new ProjectContext(basedir, buildDirectory, groupId, artifactId, version, name, properties, environment);
    }
}

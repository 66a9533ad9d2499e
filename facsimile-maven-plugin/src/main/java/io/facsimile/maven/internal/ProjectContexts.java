package io.facsimile.maven.internal;

import io.facsimile.core.ProjectContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.maven.project.MavenProject;

/** Builds the core's view of a Maven project. */
public final class ProjectContexts {

    private ProjectContexts() {}

    /**
     * The project's coordinates, directories and properties, with the given project name and the
     * process environment. User properties ({@code -Dname=value}) override project properties of the
     * same name, as they do in Maven's own filtering. The goals' own switches ({@code instance} and
     * every {@code facsimile.*}) are left out: they choose what a goal does, they are not values for
     * definitions and templates (a template that goes through every property would otherwise render
     * again for {@code mvn facsimile:deploy -Dinstance=prod}).
     */
    public static ProjectContext of(MavenProject project, Properties userProperties, String projectName) {
        Map<String, String> properties = new TreeMap<>();
        project.getProperties()
                .stringPropertyNames()
                .forEach(name -> properties.put(name, project.getProperties().getProperty(name)));
        userProperties.stringPropertyNames().forEach(name -> properties.put(name, userProperties.getProperty(name)));
        properties.keySet().removeIf(ProjectContexts::isSwitch);
        return new ProjectContext(
                project.getBasedir().toPath(),
                Path.of(project.getBuild().getDirectory()),
                project.getGroupId(),
                project.getArtifactId(),
                project.getVersion(),
                projectName,
                properties,
                System.getenv());
    }

    /** Whether a property is one of the goals' switches, which definitions and templates do not see. */
    static boolean isSwitch(String name) {
        return name.equals(PropertyNames.INSTANCE) || name.startsWith("facsimile.");
    }
}

package io.facsimile.core.testing;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.api.Facsimile;
import io.facsimile.core.api.FacsimileConfig;
import io.facsimile.core.api.Reporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The test project {@code io.example:shop:1.0} at a base directory, its build directory {@code target},
 * with the default configuration: a new facade per goal, as each Maven invocation makes one.
 */
public final class ShopProject {

    private ShopProject() {}

    /** The facade without properties or environment variables. */
    public static Facsimile facade(Path basedir, Reporter reporter) {
        return facade(basedir, Map.of(), Map.of(), reporter);
    }

    /** The facade of a goal run with these {@code -D} properties and environment variables. */
    public static Facsimile facade(
            Path basedir, Map<String, String> properties, Map<String, String> environment, Reporter reporter) {
        ProjectContext project = context(basedir).withProperties(properties).withEnvironment(environment);
        return new Facsimile(new FacsimileConfig(project, null, List.of(), null, null), reporter);
    }

    /** The project, without properties or environment variables. */
    public static ProjectContext context(Path basedir) {
        return new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.0", "shop", Map.of(), Map.of());
    }
}

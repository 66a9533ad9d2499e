package io.facsimile.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.MojoExtension;

/** What a harness test that runs a goal leaves in its test project, removed after each test. */
final class TestOutputs {

    private TestOutputs() {}

    /** Deletes {@code target} and {@code state} below the test's basedir, the files and dirs a goal writes. */
    static void remove() throws IOException {
        for (String dir : new String[] {"target", "state"}) {
            Path root = Path.of(MojoExtension.getBasedir(), dir);
            if (Files.exists(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }
}

package io.facsimile.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a harness test that runs a goal leaves in its test project, removed after each test: put
 * {@code @ExtendWith(TestOutputs.class)} after {@code @MojoTest}.
 */
final class TestOutputs implements AfterEachCallback {

    /** Deletes {@code target} and {@code state} below the test's basedir, the files and dirs a goal writes. */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
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

package io.facsimile.core.install;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Values of the tokens allowed in install paths.
 *
 * @param srcDir {@code $SRC_DIR$}: the project basedir
 * @param buildDir {@code $BUILD_DIR$}: the project build directory
 * @param deployDir {@code $DEPLOY_DIR$}: the deploy tree, {@code <release dir>/_DEPLOY_}
 */
public record PathTokens(Path srcDir, Path buildDir, Path deployDir) {

    public PathTokens {
        srcDir = Objects.requireNonNull(srcDir, "srcDir").toAbsolutePath().normalize();
        buildDir = Objects.requireNonNull(buildDir, "buildDir").toAbsolutePath().normalize();
        deployDir = Objects.requireNonNull(deployDir, "deployDir").toAbsolutePath().normalize();
    }

    /** The path with every token replaced by its value (with {@code /} separators). */
    public String replace(String path) {
        return path.replace("$SRC_DIR$", slashes(srcDir))
                .replace("$BUILD_DIR$", slashes(buildDir))
                .replace("$DEPLOY_DIR$", slashes(deployDir));
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}

package io.facsimile.core.install;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

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
        deployDir =
                Objects.requireNonNull(deployDir, "deployDir").toAbsolutePath().normalize();
    }

    /** The path with every token replaced by its value (with {@code /} separators). */
    public String replace(String path) {
        return path.replace("$SRC_DIR$", slashes(srcDir))
                .replace("$BUILD_DIR$", slashes(buildDir))
                .replace("$DEPLOY_DIR$", slashes(deployDir));
    }

    /**
     * A regex with every token replaced by its value, quoted: {@code ^$SRC_DIR$/lib/(.*)} matches below
     * the project basedir, as it did in the original tool (unreplaced, {@code $} is an anchor and the
     * pattern never matches).
     */
    public String replaceInRegex(String regex) {
        return regex.replace("$SRC_DIR$", Pattern.quote(slashes(srcDir)))
                .replace("$BUILD_DIR$", Pattern.quote(slashes(buildDir)))
                .replace("$DEPLOY_DIR$", Pattern.quote(slashes(deployDir)));
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}

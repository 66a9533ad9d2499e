package io.facsimile.core.describe;

import io.facsimile.core.definition.format.Origin;
import java.nio.file.Path;

/** Origins as {@code describe} prints them: {@code file:line}, the file relative to the project directory. */
final class Places {

    private Places() {}

    /** {@code src/main/facsimile/eu1.yaml:3}, or the absolute path when the file is outside {@code basedir}. */
    static String of(Path basedir, Origin origin) {
        String file = file(basedir, origin.file());
        return origin.line() > 0 ? file + ":" + origin.line() : file;
    }

    /** A file relative to {@code basedir} with {@code /} separators when it is inside, else as it is. */
    static String file(Path basedir, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = basedir.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
        return shown.toString().replace('\\', '/');
    }
}

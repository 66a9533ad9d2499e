package io.facsimile.core.definition.format;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a value was written: a file and, where the format tells, a line and column (1-based;
 * 0 when unknown).
 */
public record Origin(Path file, int line, int column) {

    public Origin {
        Objects.requireNonNull(file, "file");
    }

    /** An origin known only by its file. */
    public static Origin ofFile(Path file) {
        return new Origin(file, 0, 0);
    }

    /** {@code file:line:column}, {@code file:line} or {@code file}, as compilers print it. */
    @Override
    public String toString() {
        if (line <= 0) {
            return file.toString();
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}

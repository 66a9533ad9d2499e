package io.facsimile.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one way tests write an input file: UTF-8 lines joined by newlines, parent dirs created. */
public final class TestFiles {

    private TestFiles() {}

    /**
     * Writes {@code lines}, each ended by a newline, to {@code base/relative}.
     *
     * @return the file written
     */
    public static Path write(Path base, String relative, String... lines) {
        Path file = base.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}

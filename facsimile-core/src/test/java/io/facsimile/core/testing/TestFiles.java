package io.facsimile.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/** The one way tests write a file: UTF-8, as lines or as it is, parent dirs created, or in place with its time kept. */
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

    /**
     * Writes {@code content} as it is (UTF-8) to {@code file}, parent dirs created.
     *
     * @return the file written
     */
    public static Path writeString(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites {@code file} in place (same inode) with {@code content}, its modification time put back, as
     * {@code touch -d}, {@code cp -p} or {@code rsync -a} leave an edited file: only its content and its
     * change time tell.
     *
     * @return the file rewritten
     */
    public static Path rewriteKeepingItsTime(Path file, String content) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return Files.setLastModifiedTime(file, time);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

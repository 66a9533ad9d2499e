package io.facsimile.core.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content of an upload that, when the transport first reads it (its temporary file has been
 * created by then), notes the permissions of every file in the target directory: what a reader on the
 * node could have opened at that moment.
 */
public final class ModeProbe extends InputStream {

    private final Path dir;
    private final InputStream content;
    public final List<String> seen = new ArrayList<>();

    public ModeProbe(Path dir, byte[] content) {
        this.dir = dir;
        this.content = new ByteArrayInputStream(content);
    }

    private void look() {
        if (!seen.isEmpty()) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                seen.add(f.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (seen.isEmpty()) {
            seen.add("(no file yet)");
        }
    }

    @Override
    public int read() throws IOException {
        look();
        return content.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        look();
        return content.read(b, off, len);
    }
}

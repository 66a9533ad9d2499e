package io.facsimile.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSha256Test {

    @TempDir
    Path dir;

    @Test
    void emptySmallAndLargerThanOneBufferFilesHashAsTheirBytesDo() throws Exception {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 2048, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 17}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            Path file = Files.write(dir.resolve("f" + size), content);

            FileSha256 read = FileSha256.of(file);

            assertThat(read.size()).as("size %d", size).isEqualTo(size);
            assertThat(read.sha256())
                    .as("size %d", size)
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        }
        assertThat(FileSha256.of(dir.resolve("f0")).sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}

package io.facsimile.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.core.reliability.Case;
import io.facsimile.core.text.Escapes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScannerTest {

    private static final String SECRET = "Zq8vT2mLx0Rk5Wn7Pb3Hc9Ys4Jd6Gf1E";

    @TempDir
    Path dir;

    @Test
    @Case("secrets.base64-aligned")
    void aSecretEncodedInsideALongerBase64ValueIsFoundInTheBundle() throws Exception {
        for (String user : List.of("", "api:", "app1:", "proj0:")) {
            Path zip = dir.resolve("b" + user.length() + ".zip");
            String value = Base64.getEncoder().encodeToString((user + SECRET).getBytes(StandardCharsets.UTF_8));
            try (OutputStream out = Files.newOutputStream(zip);
                    ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry("etc/readme.txt"));
                z.write("nothing here\n".getBytes(StandardCharsets.UTF_8));
                z.putNextEntry(new ZipEntry("etc/proxy.conf"));
                z.write(("auth = Basic " + value + "\n").getBytes(StandardCharsets.UTF_8));
            }

            assertThat(SecretScanner.firstEntryWithAny(zip, List.of(SECRET)))
                    .as("user '%s'", user)
                    .hasValueSatisfying(entry -> assertThat(entry).contains("etc/proxy.conf"));
        }
    }

    @Test
    @Case("secrets.escaped-forms")
    void aSecretInAUtf16FileIsFoundInEitherByteOrder() throws Exception {
        for (var charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16)) {
            Path tree = Files.createDirectories(dir.resolve("tree-" + charset.name()));
            Files.writeString(tree.resolve("readme.txt"), "nothing here\n");
            Files.write(tree.resolve("win.ini"), ("[db]\r\npassword=" + SECRET + "\r\n").getBytes(charset));
            assertThat(SecretScanner.firstFileWithAny(tree, List.of(SECRET)))
                    .as(charset.name())
                    .hasValue("win.ini");
        }
    }

    @Test
    @Case("secrets.escaped-forms")
    void aSecretWrittenThroughAnEscapeIsFoundInTheBundle() throws Exception {
        String password = "p&<'\"\\:=#!é/x";
        Path zip = dir.resolve("escaped.zip");
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("etc/readme.txt"));
            z.write("nothing here\n".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("etc/app.properties"));
            z.write(("db.password=" + Escapes.propertyValue(password) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        assertThat(SecretScanner.firstEntryWithAny(zip, List.of(password)))
                .hasValueSatisfying(entry -> assertThat(entry).contains("etc/app.properties"));
    }
}

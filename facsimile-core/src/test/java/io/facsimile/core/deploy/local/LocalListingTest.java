package io.facsimile.core.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facsimile.core.deploy.FileStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local listing: GNU find and the Java walk give the same entries with the same states. */
class LocalListingTest {

    @TempDir
    Path dir;

    @Test
    void findAndTheJavaWalkListTheSameEntriesWithTheSameStates() throws Exception {
        Path root = Files.createDirectories(dir.resolve("release"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("not listed"), "x");
        Files.createDirectories(root.resolve("etc/sub dir"));
        Files.writeString(root.resolve("etc/app.conf"), "port=1\n");
        Path secret = Files.writeString(root.resolve("etc/sub dir/a b\nc.txt"), "s3cret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path tool = Files.writeString(root.resolve("run.sh"), "#!/bin/sh\n");
        Files.setAttribute(tool, "unix:mode", 04755);
        Files.createSymbolicLink(root.resolve("etc/linked"), outside);
        Files.createDirectories(root.resolve("empty"));
        fifo(root.resolve("pipe"));

        Map<String, FileStat> walked = LocalListing.inJava(root);
        Map<String, FileStat> find = LocalListing.withFind(root).orElse(null);

        assumeTrue(find != null, "no GNU find on this machine");
        assertThat(walked)
                .containsOnlyKeys(
                        "etc",
                        "etc/app.conf",
                        "etc/sub dir",
                        "etc/sub dir/a b\nc.txt",
                        "etc/linked",
                        "run.sh",
                        "empty",
                        "pipe");
        assertThat(find).isEqualTo(walked);
        assertThat(find.get("etc/sub dir/a b\nc.txt").mode()).isEqualTo("0600");
        assertThat(find.get("run.sh").mode()).isEqualTo("4755");
        assertThat(find.get("etc/linked").type()).isEqualTo("l");
        assertThat(find.get("pipe").type()).isEqualTo("o");
        assertThat(find.get("etc/app.conf").mtime())
                .isEqualTo(Long.toString(
                        Files.getLastModifiedTime(root.resolve("etc/app.conf")).to(TimeUnit.NANOSECONDS)));
    }

    @Test
    void aDirectoryThatCannotBeListedWithFindIsListedInJavaSayingWhy() {
        Path missing = dir.resolve("gone");
        assertThat(LocalListing.withFind(missing)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalListing.of(missing))
                .hasMessageContaining("cannot list " + missing);
    }

    private static void fifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "no mkfifo");
    }
}

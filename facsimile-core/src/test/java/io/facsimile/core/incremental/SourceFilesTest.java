package io.facsimile.core.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.FacsimileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReadOnceARunAndAFailedReadIsTriedAgain() throws IOException {
        Path template = Files.writeString(dir.resolve("a.conf"), "one");
        SourceFiles run = new SourceFiles(dir);
        AtomicInteger reads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(run.text(template, file -> {
                        reads.incrementAndGet();
                        return "read " + reads.get();
                    }))
                    .isEqualTo("read 1");
        }
        assertThatThrownBy(() -> run.text(dir.resolve("b.conf"), file -> {
                    throw FacsimileException.userError("b.conf: broken");
                }))
                .hasMessage("b.conf: broken");
        assertThat(run.text(dir.resolve("b.conf"), file -> "fixed")).isEqualTo("fixed");
    }

    @Test
    void aDefinitionFileIsParsedOnceARun() {
        SourceFiles run = new SourceFiles(dir);
        AtomicInteger parses = new AtomicInteger();
        Path layer = dir.resolve("facsimile.yaml");
        for (int i = 0; i < 3; i++) {
            assertThat(run.<List<String>>parsed(layer, file -> List.of("parse " + parses.incrementAndGet())))
                    .containsExactly("parse 1");
        }
        assertThat(new SourceFiles(dir)
                        .<List<String>>parsed(layer, file -> List.of("parse " + parses.incrementAndGet())))
                .containsExactly("parse 2");
    }

    @Test
    void theListingIsTakenOnceAtTheFirstCall() throws IOException {
        Files.writeString(dir.resolve("a.conf"), "one");
        SourceFiles run = new SourceFiles(dir);
        List<FileState> first = run.listing();
        Files.writeString(dir.resolve("b.conf"), "two");
        assertThat(run.listing()).isSameAs(first).extracting(FileState::path).containsExactly("a.conf");
        assertThat(run.listed(dir.toAbsolutePath().normalize().resolve("a.conf")))
                .isNotNull();
        assertThat(run.listed(dir.toAbsolutePath().normalize().resolve("b.conf")))
                .isNull();
        assertThat(new SourceFiles(dir).listing()).extracting(FileState::path).containsExactly("a.conf", "b.conf");
    }

    @Test
    void permissionsAreReadOnceARun() throws IOException {
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        SourceFiles run = new SourceFiles(dir);
        assertThat(PosixFilePermissions.toString(run.permissions(script))).isEqualTo("rwxr-x---");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
        assertThat(PosixFilePermissions.toString(run.permissions(script))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(new SourceFiles(dir).permissions(script)))
                .isEqualTo("rw-------");
    }

    @Test
    void theListingAnswersForADirectoryOfPlainFilesAndLeavesTheRestToAWalk() throws IOException {
        Path extra = Files.createDirectories(dir.resolve("extra/_ALL_/b"));
        Files.writeString(extra.resolve("2.dat"), "2");
        Files.writeString(dir.resolve("extra/_ALL_/1.dat"), "1");
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/dev.json"), "{}");
        assertThat(new SourceFiles(dir).listedFiles(dir.resolve("extra/_ALL_")))
                .hasValueSatisfying(files -> assertThat(files)
                        .containsExactly(
                                new SourceFiles.Walked(dir.resolve("extra/_ALL_/1.dat"), "1.dat"),
                                new SourceFiles.Walked(dir.resolve("extra/_ALL_/b/2.dat"), "b/2.dat")));
        // not there, or not a directory of the listing: walked by the caller, which says what it finds
        assertThat(new SourceFiles(dir).listedFiles(dir.resolve("extra/none"))).isEmpty();
        assertThat(new SourceFiles(dir).listedFiles(dir.resolve("extra/_ALL_/1.dat")))
                .isEmpty();
        assertThat(new SourceFiles(dir).listedFiles(dir.getParent())).isEmpty();
        // the state directory left out of the listing lies below
        assertThat(new SourceFiles(dir, List.of(), dir.resolve("state")).listedFiles(dir))
                .isEmpty();
        assertThat(new SourceFiles(dir, List.of(), dir.resolve("state")).listedFiles(dir.resolve("extra")))
                .isPresent();
        // a link below, and a name with a control character
        Files.createSymbolicLink(extra.resolve("link.dat"), extra.resolve("2.dat"));
        assertThat(new SourceFiles(dir).listedFiles(dir.resolve("extra/_ALL_"))).isEmpty();
        Files.delete(extra.resolve("link.dat"));
        Files.writeString(extra.resolve("bell\u0007.dat"), "x");
        assertThat(new SourceFiles(dir).listedFiles(dir.resolve("extra/_ALL_"))).isEmpty();
    }

    @Test
    void aFileIsNamedAsTheListingOfTheDefinitionsDirectoryNamesIt() {
        SourceFiles sources = new SourceFiles(Path.of("/p/src/main/facsimile"));
        assertThat(sources.listedName("/p/src/main/facsimile/extra/_ALL_/a b.txt"))
                .isEqualTo("extra/_ALL_/a b.txt");
        assertThat(sources.listedName("/p/src/main/facsimile/.hidden/..x")).isEqualTo(".hidden/..x");
        assertThat(sources.listedPath("extra/_ALL_/a b.txt"))
                .isEqualTo(Path.of("/p/src/main/facsimile/extra/_ALL_/a b.txt"));
    }

    @Test
    void aFileNotBelowItOrNotSpelledNormalizedHasNoName() {
        SourceFiles sources = new SourceFiles(Path.of("/p/src/main/facsimile"));
        assertThat(sources.listedName("/p/src/main/facsimile-other/a")).isNull();
        assertThat(sources.listedName("/p/src/main/facsimile")).isNull();
        assertThat(sources.listedName("/p/src/main/facsimile/")).isNull();
        assertThat(sources.listedName("/p/src/main/facsimile/extra/../../../etc/passwd"))
                .isNull();
        assertThat(sources.listedName("/p/src/main/facsimile/./extra/a")).isNull();
        assertThat(sources.listedName("/p/src/main/facsimile/extra//a")).isNull();
        assertThat(sources.listedName("/p/src/main/facsimile/extra/a/")).isNull();
        assertThat(sources.listedName("/p/src/main/facsimile/extra/..")).isNull();
    }
}

package io.facsimile.core.bundle;

import io.facsimile.core.text.SecretForms;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Looks for secret values in every entry of a tar.gz or zip bundle, streaming, so a large jar in the
 * bundle costs no memory, in UTF-8 and in UTF-16 of either byte order. Archives and compressed files nested
 * in the bundle (a jar, a {@code .gz}) are read as bytes, not opened.
 */
final class SecretScanner {

    private static final int CHUNK = 64 * 1024;

    private final List<byte[]> needles;
    private final int overlap;
    /**
     * The needles by their first two bytes ({@code (b0 << 8) | b1}), so one pass over the haystack
     * compares only where a needle can start; {@code null} where none starts. With random passwords
     * almost every position is skipped after one array read.
     */
    private final byte[][][] byFirstTwo = new byte[1 << 16][][];

    private SecretScanner(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && s.strip().length() >= Sealer.MIN_SECRET_LENGTH && !s.equals(Sealer.MASK)) {
                forms.addAll(SecretForms.shown(s));
            }
        }
        // each form as UTF-8 and as UTF-16 in both byte orders (a Windows .ini or .reg file copied from extra/);
        // a compressed file (.gz, a deflated jar entry) is read as its bytes and not opened
        needles = forms.stream()
                .flatMap(f -> Stream.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)
                        .map(f::getBytes))
                .toList();
        overlap = needles.stream().mapToInt(n -> n.length).max().orElse(1) - 1;
        for (byte[] needle : needles) {
            // every needle has at least MIN_SECRET_LENGTH (4) characters, so at least two bytes
            int key = pair(needle, 0);
            byte[][] old = byFirstTwo[key];
            byte[][] grown = old == null ? new byte[1][] : Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = needle;
            byFirstTwo[key] = grown;
        }
    }

    private static int pair(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    /** The name of the first entry, in archive order, that holds a secret; an entry whose name holds one is given by number. */
    static Optional<String> firstEntryWithAny(Path archive, Collection<String> secrets) {
        SecretScanner scanner = new SecretScanner(secrets);
        if (scanner.needles.isEmpty()) {
            return Optional.empty();
        }
        try {
            return isGzip(archive) ? scanner.scanTarGz(archive) : scanner.scanZip(archive);
        } catch (IOException e) {
            throw BundleException.broken("Cannot read bundle " + archive + " to check it for secrets", e);
        }
    }

    /** The first file (sorted by path) below {@code dir} whose relative path or content holds a secret. */
    static Optional<String> firstFileWithAny(Path dir, Collection<String> secrets) {
        SecretScanner scanner = new SecretScanner(secrets);
        if (scanner.needles.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                byte[] name = relative.getBytes(StandardCharsets.UTF_8);
                if (scanner.containsAny(name, name.length)) {
                    return Optional.of("a file whose name holds the secret");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    if (scanner.matches(in)) {
                        return Optional.of(relative);
                    }
                }
            }
        } catch (IOException e) {
            throw BundleException.broken("Cannot read " + dir + " to check it for secrets", e);
        }
        return Optional.empty();
    }

    private Optional<String> scanTarGz(Path archive) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            int index = 0;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                index++;
                Optional<String> hit = check(index, e.getName() + "\n" + e.getLinkName(), tar);
                if (hit.isPresent()) {
                    return hit;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> scanZip(Path archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile(), StandardCharsets.UTF_8)) {
            int index = 0;
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry e = all.nextElement();
                index++;
                try (InputStream in = zip.getInputStream(e)) {
                    Optional<String> hit =
                            check(index, e.getName() + "\n" + (e.getComment() == null ? "" : e.getComment()), in);
                    if (hit.isPresent()) {
                        return hit;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> check(int index, String nameAndMeta, InputStream content) throws IOException {
        byte[] meta = nameAndMeta.getBytes(StandardCharsets.UTF_8);
        if (containsAny(meta, meta.length)) {
            return Optional.of("entry #" + index + " (its name holds the secret)");
        }
        String name = nameAndMeta.substring(0, nameAndMeta.indexOf('\n'));
        return matches(content) ? Optional.of("entry " + name) : Optional.empty();
    }

    private boolean matches(InputStream in) throws IOException {
        byte[] buf = new byte[overlap + CHUNK];
        int kept = 0;
        for (int n = in.read(buf, kept, buf.length - kept); n >= 0; n = in.read(buf, kept, buf.length - kept)) {
            int length = kept + n;
            if (containsAny(buf, length)) {
                return true;
            }
            // keep the tail so a secret split across two reads is still found
            kept = Math.min(overlap, length);
            System.arraycopy(buf, length - kept, buf, 0, kept);
        }
        return false;
    }

    private boolean containsAny(byte[] haystack, int length) {
        for (int i = 0; i + 1 < length; i++) {
            byte[][] candidates = byFirstTwo[pair(haystack, i)];
            if (candidates != null) {
                for (byte[] needle : candidates) {
                    if (startsWith(haystack, length, i, needle)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] haystack, int length, int at, byte[] needle) {
        if (at + needle.length > length) {
            return false;
        }
        for (int j = 2; j < needle.length; j++) {
            if (haystack[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isGzip(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}

package io.facsimile.core.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Looks for secret values in every entry of a tar.gz or zip bundle, streaming, so a large jar in the
 * bundle costs no memory. Archives nested in the bundle (a jar) are read as bytes, not opened.
 */
final class SecretScanner {

    private static final int CHUNK = 64 * 1024;

    private final List<byte[]> needles;
    private final int overlap;

    private SecretScanner(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && s.strip().length() >= Sealer.MIN_SECRET_LENGTH && !s.equals(Sealer.MASK)) {
                forms.addAll(encodings(s));
            }
        }
        needles = forms.stream().map(f -> f.getBytes(StandardCharsets.UTF_8)).toList();
        overlap = needles.stream().mapToInt(n -> n.length).max().orElse(1) - 1;
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
            throw new BundleException("Cannot read bundle " + archive + " to check it for secrets: " + e.getMessage(),
                    e, false);
        }
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
                    Optional<String> hit = check(index, e.getName() + "\n" + (e.getComment() == null ? "" : e.getComment()), in);
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
        for (byte[] needle : needles) {
            if (indexOf(haystack, length, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The forms a template is likely to write a value in: as is, escaped for JSON, XML and URLs, Base64. */
    private static List<String> encodings(String secret) {
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
        forms.add(secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;"));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        // unpadded, so it is also found where the padding differs or is left out
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        return forms;
    }

    private static boolean isGzip(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}

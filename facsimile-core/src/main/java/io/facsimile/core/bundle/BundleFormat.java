package io.facsimile.core.bundle;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The archive formats a bundle can be written in. */
public enum BundleFormat {

    /** A POSIX tar archive compressed with gzip; keeps modes, uid and gid. The default. */
    TAR_GZ("tar.gz"),

    /** A zip archive; keeps modes in the Unix extra attributes. */
    ZIP("zip");

    private final String extension;

    BundleFormat(String extension) {
        this.extension = extension;
    }

    /** The file extension without the leading dot, also the name users write: {@code tar.gz}, {@code zip}. */
    public String extension() {
        return extension;
    }

    /** The archive's file name for a bundle base name: {@code shop-1.0-prod} gives {@code shop-1.0-prod.tar.gz}. */
    public String fileName(String baseName) {
        return baseName + "." + extension;
    }

    /**
     * The format a user named, ignoring case and a leading dot; {@code tgz} is accepted for
     * {@code tar.gz}. {@code null} or blank gives {@link #TAR_GZ}.
     *
     * @throws BundleException (a user error) listing the allowed values
     */
    public static BundleFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return TAR_GZ;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith(".")) {
            v = v.substring(1);
        }
        if (v.equals("tgz") || v.equals("tar_gz")) {
            return TAR_GZ;
        }
        for (BundleFormat f : values()) {
            if (f.extension.equals(v)) {
                return f;
            }
        }
        throw BundleException.userError("Unknown bundle format \"" + value + "\": use one of "
                + Arrays.stream(values()).map(BundleFormat::extension).collect(Collectors.joining(", ")));
    }
}

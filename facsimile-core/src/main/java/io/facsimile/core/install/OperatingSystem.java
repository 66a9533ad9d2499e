package io.facsimile.core.install;

import java.util.Locale;

/** The operating systems an install group can be limited to with {@code os:}. */
public enum OperatingSystem {
    LINUX,
    MAC,
    WINDOWS;

    /** The name used in definitions: {@code linux}, {@code mac}, {@code windows}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The system this JVM runs on; anything that is neither Windows nor macOS counts as Linux. */
    public static OperatingSystem current() {
        return fromOsName(System.getProperty("os.name", ""));
    }

    /** Classifies a value of the {@code os.name} system property. */
    static OperatingSystem fromOsName(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        if (name.startsWith("mac") || name.contains("darwin")) {
            return MAC;
        }
        return LINUX;
    }
}

package io.facsimile.maven.internal;

import java.util.List;
import org.apache.maven.plugin.logging.Log;

/**
 * Moves the INFO notices of libraries the plugin uses to DEBUG, so that a deploy logs one line per
 * step. Maven's console logger (slf4j-simple based, in Maven 3 and 4) reads a logger's level from the
 * system property {@code org.slf4j.simpleLogger.log.<logger>} when the logger is created; the property
 * is set only when the user has not set it and Maven does not run with {@code -X}.
 */
public final class QuietLibraries {

    /** Loggers whose INFO lines are details of a connection, not steps of a deploy. */
    static final List<String> DETAIL_LOGGERS = List.of(
            // "Server announced support for publickey-hostbound@openssh.com version 0", once per node
            "org.apache.sshd.common.kex.extension.parser.HostBoundPubkeyAuthentication",
            // SecurityUtils: "Override ECC support value", "Trying to register BouncyCastle as a JCE provider";
            // the provider registrars below it: "getOrCreateProvider(EdDSA) created instance of ...", once per run
            "org.apache.sshd.common.util.security");

    private static final String PREFIX = "org.slf4j.simpleLogger.log.";

    private QuietLibraries() {}

    /** Lowers the detail loggers to {@code warn}, unless {@code log} is at DEBUG or the user chose a level. */
    public static void apply(Log log) {
        if (log.isDebugEnabled()) {
            return;
        }
        for (String logger : DETAIL_LOGGERS) {
            if (System.getProperty(PREFIX + logger) == null) {
                System.setProperty(PREFIX + logger, "warn");
            }
        }
    }
}

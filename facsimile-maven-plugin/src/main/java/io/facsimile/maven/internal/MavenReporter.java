package io.facsimile.maven.internal;

import io.facsimile.core.api.Reporter;
import org.apache.maven.plugin.logging.Log;

/** The core's reporter on top of a mojo's log. */
public final class MavenReporter implements Reporter {

    private final Log log;

    public MavenReporter(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void debug(String message) {
        if (log.isDebugEnabled()) {
            log.debug(message);
        }
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }
}

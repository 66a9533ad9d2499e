package io.facsimile.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuietLibrariesTest {

    private static final String HOSTBOUND = "org.slf4j.simpleLogger.log." + QuietLibraries.DETAIL_LOGGERS.get(0);

    @AfterEach
    void clear() {
        QuietLibraries.DETAIL_LOGGERS.forEach(logger -> System.clearProperty("org.slf4j.simpleLogger.log." + logger));
    }

    @Test
    void sshdConnectionNoticesGoBelowInfo() {
        QuietLibraries.apply(log(false));
        assertThat(System.getProperty(HOSTBOUND)).isEqualTo("warn");
    }

    @Test
    void theProviderRegistrarsNoticeGoesBelowInfoByItsPackage() {
        // slf4j-simple takes a logger's level from the longest dotted prefix that has one
        String registrar = "org.apache.sshd.common.util.security.eddsa.EdDSASecurityProviderRegistrar";
        QuietLibraries.apply(log(false));
        assertThat(QuietLibraries.DETAIL_LOGGERS)
                .anySatisfy(logger -> assertThat(registrar).startsWith(logger + "."));
        assertThat(System.getProperty("org.slf4j.simpleLogger.log.org.apache.sshd.common.util.security"))
                .isEqualTo("warn");
    }

    @Test
    void underDashXAndWithTheUsersOwnLevelNothingChanges() {
        QuietLibraries.apply(log(true));
        assertThat(System.getProperty(HOSTBOUND)).isNull();

        System.setProperty(HOSTBOUND, "trace");
        QuietLibraries.apply(log(false));
        assertThat(System.getProperty(HOSTBOUND)).isEqualTo("trace");
    }

    private static SystemStreamLog log(boolean debug) {
        return new SystemStreamLog() {
            @Override
            public boolean isDebugEnabled() {
                return debug;
            }
        };
    }
}

package io.facsimile.core.deploy;

import java.time.Clock;
import java.time.Duration;

/** The deploy engine as the tests run it. */
public final class TestEngines {

    private TestEngines() {}

    /** An engine reporting to {@code listener}, deploying as user {@code tester}, waiting 5 s for a lock. */
    public static DeployEngine engine(DeployListener listener) {
        return new DeployEngine(listener, "tester", Duration.ofSeconds(5), Clock.systemUTC());
    }
}

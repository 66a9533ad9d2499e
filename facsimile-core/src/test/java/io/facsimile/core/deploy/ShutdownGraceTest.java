package io.facsimile.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShutdownGraceTest {

    @Test
    void aShutdownWaitsForTheStepUntilItIsClosed() throws InterruptedException {
        ShutdownGrace grace = ShutdownGrace.hold("test-grace");
        // what the JVM does on Ctrl-C: run the hook
        Thread hook = grace.hook();
        hook.start();
        hook.join(300);
        assertThat(hook.isAlive()).as("the hook waits while the step runs").isTrue();
        grace.close();
        hook.join(5_000);
        assertThat(hook.isAlive()).as("the hook ends once the step is over").isFalse();
    }

    @Test
    void aClosedStepHoldsNothing() throws InterruptedException {
        ShutdownGrace grace = ShutdownGrace.hold("test-grace");
        grace.close();
        // removed: adding it again is allowed only when it is not registered any more
        Runtime.getRuntime().addShutdownHook(grace.hook());
        assertThat(Runtime.getRuntime().removeShutdownHook(grace.hook())).isTrue();
        Thread hook = grace.hook();
        hook.start();
        hook.join(1_000);
        assertThat(hook.isAlive()).isFalse();
    }
}

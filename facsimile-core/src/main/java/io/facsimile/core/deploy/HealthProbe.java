package io.facsimile.core.deploy;

import java.util.Optional;

/** Runs {@code deploy.healthcheck} on a node until it passes or its retries are spent. */
final class HealthProbe {

    private HealthProbe() {}

    /**
     * Tries the check in {@code dir} (relative to the home), {@code interval} apart, each attempt bounded
     * by its {@code timeout} and killed (its process group) when it runs over.
     *
     * @return why it failed (the last attempt's exit code or time-out, and output, masked), or empty when it passed
     */
    static Optional<String> check(NodeRun run, String dir, HealthCheck check) {
        int attempts = check.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            ExecResult r = run.timed(dir, check.command(), check.timeout());
            if (r.ok()) {
                run.info(check.describe() + " passed"
                        + (attempt > 1 ? " at attempt " + attempt + " of " + attempts : ""));
                return Optional.empty();
            }
            String output = run.masker.mask(r.output()).strip();
            String why = (r.timedOut()
                            ? "did not finish within " + Durations.format(check.timeout())
                            : "exited with " + r.exitCode())
                    + (output.isEmpty() ? "" : ": " + output);
            if (attempt >= attempts) {
                return Optional.of(run.masker.mask(check.describe()) + " failed " + attempts + " time(s), last " + why);
            }
            run.info(check.describe() + " failed (attempt " + attempt + " of " + attempts + ", " + why + "); again in "
                    + Durations.format(check.interval()));
            try {
                Thread.sleep(check.interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting to run the " + check.describe() + " again");
            }
        }
    }
}

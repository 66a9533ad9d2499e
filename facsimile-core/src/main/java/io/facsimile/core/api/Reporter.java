package io.facsimile.core.api;

/**
 * Where the core reports what it does. The core has no logging framework; the Maven plugin adapts
 * this to the mojo's log. One line per step at {@link #info}, details at {@link #debug}. Secrets are
 * never passed here.
 */
public interface Reporter {

    /** One line per step. */
    void info(String message);

    /** Details a user asks for with {@code -X}. */
    void debug(String message);

    /** Something the user should look at; the run goes on. */
    void warn(String message);

    /** A reporter that drops everything, for tests and embedding. */
    static Reporter silent() {
        return new Reporter() {
            @Override
            public void info(String message) {}

            @Override
            public void debug(String message) {}

            @Override
            public void warn(String message) {}
        };
    }
}

package io.facsimile.core.testing;

import io.facsimile.core.api.Reporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A reporter that keeps what it was told, by level, for tests to assert on. Thread-safe. */
public final class RecordingReporter implements Reporter {

    public final List<String> info = new CopyOnWriteArrayList<>();
    public final List<String> debug = new CopyOnWriteArrayList<>();
    public final List<String> warn = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        info.add(message);
    }

    /** Told each debug line as it is reported, from the reporting thread: a test's hook into a run's steps. */
    public volatile Consumer<String> onDebug = message -> {};

    @Override
    public void debug(String message) {
        debug.add(message);
        onDebug.accept(message);
    }

    @Override
    public void warn(String message) {
        warn.add(message);
    }
}

package io.facsimile.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The check for plaintext states that git would commit, running beside a goal: closed when the goal
 * ends, it waits for the answer (bounded, see {@link io.facsimile.core.state.GitExposure#inBackground})
 * and warns about each such state.
 */
public final class StateExposure implements AutoCloseable {

    private final CompletableFuture<List<Path>> exposed;
    private final Consumer<Path> warning;

    StateExposure(CompletableFuture<List<Path>> exposed, Consumer<Path> warning) {
        this.exposed = exposed;
        this.warning = warning;
    }

    /** Waits for the check and warns about each exposed state. */
    @Override
    public void close() {
        List<Path> files;
        try {
            files = exposed.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        files.forEach(warning);
    }
}

package io.facsimile.core.api;

/**
 * A render being prepared while its goal chooses its instances ({@link Facsimile#prepareRender()}):
 * until it is closed, the listing of the definitions that choosing the instances takes, and the
 * answer of the check of the release dirs started with it, are kept for the goal's render, which
 * takes each once. Closing it drops what the render did not take, so that nothing of this goal is
 * taken by a later one.
 */
public interface PreparedRender extends AutoCloseable {

    @Override
    void close();
}

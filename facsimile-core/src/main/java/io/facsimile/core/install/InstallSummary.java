package io.facsimile.core.install;

import java.util.List;

/**
 * What executing an {@link InstallPlan} changed in the release dir; paths relative to it, with {@code /}.
 *
 * @param written files created, replaced, or whose permissions changed
 * @param unchanged files that already had the content and permissions the plan produces
 * @param removed stale files no longer produced by the plan
 */
public record InstallSummary(List<String> written, List<String> unchanged, List<String> removed) {

    public InstallSummary {
        written = List.copyOf(written);
        unchanged = List.copyOf(unchanged);
        removed = List.copyOf(removed);
    }

    /** {@code true} when the release dir was not touched. */
    public boolean nothingChanged() {
        return written.isEmpty() && removed.isEmpty();
    }
}

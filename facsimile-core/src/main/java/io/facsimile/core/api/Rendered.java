package io.facsimile.core.api;

import java.nio.file.Path;

/** An instance as resolved and rendered by one run, into its release dir. */
record Rendered(ResolvedInstance resolved, Path releaseDir) {}

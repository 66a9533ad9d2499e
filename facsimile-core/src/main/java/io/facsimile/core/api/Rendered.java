package io.facsimile.core.api;

import java.nio.file.Path;
import java.util.List;

/**
 * An instance as resolved and rendered by one run, into its release dir.
 *
 * @param secrets what to mask and search for: the modules' passwords and the state's, as resolving read them
 */
record Rendered(ResolvedInstance resolved, Path releaseDir, List<String> secrets) {}

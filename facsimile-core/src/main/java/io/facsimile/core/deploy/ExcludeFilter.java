package io.facsimile.core.deploy;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code deploy.exclude} patterns, read the way {@code rsync --exclude} reads them: a pattern
 * without {@code /} ({@code *.log}) matches a file or directory name at any depth; a pattern with a
 * {@code /} ({@code var/cache/*}) matches the path from the top of the tree; a trailing {@code /}
 * ({@code tmp/}) matches directories only. A file below an excluded directory is excluded. Patterns
 * are {@link java.nio.file.FileSystem#getPathMatcher glob} syntax ({@code *}, {@code **}, {@code ?},
 * {@code [ab]}, <code>{a,b}</code>).
 *
 * <p>Excluded paths are neither sent nor deleted, in both strategies.
 */
public final class ExcludeFilter {

    private record Rule(PathMatcher matcher, boolean anchored, boolean dirOnly) {}

    private final List<Rule> rules;
    private final List<String> patterns;

    /** A filter of the given patterns. */
    public ExcludeFilter(List<String> patterns) {
        FileSystem fs = FileSystems.getDefault();
        this.patterns = List.copyOf(patterns);
        this.rules = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw.trim();
            boolean dirOnly = p.endsWith("/");
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            boolean anchored = p.contains("/");
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            if (p.isEmpty()) {
                throw new DeployException("deploy.exclude has an empty pattern \"" + raw + "\"");
            }
            try {
                rules.add(new Rule(fs.getPathMatcher("glob:" + p), anchored, dirOnly));
            } catch (IllegalArgumentException e) {
                String why = e instanceof java.util.regex.PatternSyntaxException syntax
                        ? syntax.getDescription() // one line, without the pattern drawn under a caret
                        : e.getMessage();
                throw new DeployException("deploy.exclude: \"" + raw + "\" is not a glob pattern: " + why);
            }
        }
    }

    /** The patterns as given. */
    public List<String> patterns() {
        return patterns;
    }

    /** {@code true} when the file at {@code path} (relative, {@code /}-separated) is excluded. */
    public boolean excludes(String path) {
        return matches(path, false);
    }

    /** {@code true} when the directory at {@code path}, and so everything below it, is excluded. */
    public boolean excludesDirectory(String path) {
        return matches(path, true);
    }

    private boolean matches(String path, boolean directory) {
        if (rules.isEmpty()) {
            return false;
        }
        String[] segments = path.split("/");
        for (Rule rule : rules) {
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < segments.length; i++) {
                boolean isDir = directory || i < segments.length - 1;
                if (i > 0) {
                    prefix.append('/');
                }
                prefix.append(segments[i]);
                if (rule.dirOnly() && !isDir) {
                    continue;
                }
                String candidate = rule.anchored() ? prefix.toString() : segments[i];
                if (rule.matcher().matches(java.nio.file.Path.of(candidate))) {
                    return true;
                }
            }
        }
        return false;
    }
}

package io.facsimile.core.install;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of {@code install.groups} (SPEC §7). Paths may hold {@code $SRC_DIR$}, {@code $BUILD_DIR$}
 * and {@code $DEPLOY_DIR$}; relative source paths are relative to the definitions directory.
 */
public sealed interface InstallGroup {

    /** The position in {@code install.groups}, for messages. */
    int index();

    /** The only OS the group applies to, or {@code null} for every OS. */
    OperatingSystem os();

    /** The modes the group sets ({@code mode:}, {@code modes:}); {@link FileModes#NONE} when it sets none. */
    FileModes modes();

    /** {@code true} when the group applies on the given OS. */
    default boolean appliesTo(OperatingSystem current) {
        return os() == null || os() == current;
    }

    /**
     * {@code type: tmpl}: templates below {@code dir}, selected per instance ({@code _ALL_}, each segment,
     * the exact instance) plus {@code _MODULE_}; rendered into the release dir at their relative path.
     *
     * @param dir the directory, relative to the definitions directory
     * @param skip files whose name contains a match of this regex are left out, or {@code null}
     * @param dirRequired {@code false} for the default group, whose directory may be absent
     */
    record Templates(int index, String dir, Pattern skip, OperatingSystem os, boolean dirRequired, FileModes modes)
            implements InstallGroup {
        public Templates {
            Objects.requireNonNull(dir, "dir");
            modes = modes == null ? FileModes.NONE : modes;
        }
    }

    /**
     * {@code type: copy}: files copied verbatim into the deploy tree.
     *
     * <p>Each source has a name: a relative path as written (below {@code dir}: the path inside it),
     * an absolute path its base name. With {@code pattern}, the regex is applied to the relative path
     * or, for an absolute source, to the whole absolute path, and the result is the name. The file
     * lands at {@code _DEPLOY_/<to>/<name>}. {@code dir: extra} instead uses the template selection
     * ({@code extra/_ALL_}, {@code extra/<segment>}, {@code extra/<instance>}) and lands relative to the
     * release dir, like templates; {@code to} does not apply there.
     *
     * @param files files that must exist
     * @param optfiles files copied when they exist
     * @param dir a directory copied recursively, or {@code null}
     * @param pattern a regex rewriting each name, or {@code null}
     * @param replace the replacement for {@code pattern} ({@code $1} refers to groups)
     * @param to the destination below the deploy tree; empty for the deploy tree itself
     * @param dirRequired {@code false} for the default group, whose directory may be absent
     */
    record Copy(
            int index,
            List<String> files,
            List<String> optfiles,
            String dir,
            Pattern pattern,
            String replace,
            String to,
            OperatingSystem os,
            boolean dirRequired,
            FileModes modes)
            implements InstallGroup {
        public Copy {
            modes = modes == null ? FileModes.NONE : modes;
            files = List.copyOf(files);
            optfiles = List.copyOf(optfiles);
            replace = replace == null ? "" : replace;
            to = to == null ? "" : to;
        }

        /** The directory name that selects per instance, like {@code tmpl}. */
        public static final String SELECTED_DIR = "extra";
    }

    /**
     * {@code type: artifact}: an artifact copied into the deploy tree.
     *
     * @param artifact {@code groupId:artifactId[:type[:classifier]]:version} or {@code project}
     * @param to the destination below the deploy tree: a file path, or a directory when it ends with
     *     {@code /} or is empty (then the artifact keeps its file name)
     */
    record Artifact(int index, String artifact, String to, OperatingSystem os, FileModes modes)
            implements InstallGroup {
        public Artifact {
            Objects.requireNonNull(artifact, "artifact");
            to = to == null ? "" : to;
            modes = modes == null ? FileModes.NONE : modes;
        }

        /** A group that sets no mode. */
        public Artifact(int index, String artifact, String to, OperatingSystem os) {
            this(index, artifact, to, os, FileModes.NONE);
        }
    }
}

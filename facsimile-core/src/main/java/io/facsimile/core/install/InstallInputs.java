package io.facsimile.core.install;

import io.facsimile.core.incremental.SourceFiles;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the {@link InstallPlanner} needs besides the groups.
 *
 * @param definitionsDir the definitions directory; relative sources are resolved against it
 * @param releaseDir the release dir destinations are relative to
 * @param instance the instance, e.g. {@code prod.eu1}
 * @param modules module key → module fields; {@code genconfig} and {@code instances} are read
 * @param os the OS the install runs on, for groups with {@code os:}
 * @param tokens values of {@code $SRC_DIR$}, {@code $BUILD_DIR$}, {@code $DEPLOY_DIR$}
 * @param artifacts resolves {@code type: artifact} coordinates
 * @param binaryExtensions extensions (without dot, any case) of files copied rather than rendered; {@code null}
 *     for {@link #DEFAULT_BINARY_EXTENSIONS}
 * @param projectName names {@code _DEPLOY_/etc/<projectName>.version}
 * @param version the project version written into that file
 * @param sources the run's {@link SourceFiles}, shared by the instances of one run
 */
public record InstallInputs(
        Path definitionsDir,
        Path releaseDir,
        String instance,
        Map<String, Map<String, Object>> modules,
        OperatingSystem os,
        PathTokens tokens,
        ArtifactResolver artifacts,
        Set<String> binaryExtensions,
        String projectName,
        String version,
        SourceFiles sources) {

    /** Extensions of files that are copied, never rendered, unless the caller gives its own list. */
    public static final Set<String> DEFAULT_BINARY_EXTENSIONS = Set.of(
            "jar",
            "png",
            "jpg",
            "jpeg",
            "gif",
            "ico",
            "jks",
            "p12",
            "pfx",
            "keystore",
            "zip",
            "gz",
            "tgz",
            "tar",
            "bz2",
            "xz",
            "class",
            "so",
            "dll",
            "exe",
            "pdf",
            "woff",
            "woff2",
            "ttf");

    public InstallInputs {
        definitionsDir = Objects.requireNonNull(definitionsDir, "definitionsDir")
                .toAbsolutePath()
                .normalize();
        releaseDir = Objects.requireNonNull(releaseDir, "releaseDir")
                .toAbsolutePath()
                .normalize();
        Objects.requireNonNull(instance, "instance");
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(modules, "modules")));
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(artifacts, "artifacts");
        binaryExtensions = (binaryExtensions == null ? DEFAULT_BINARY_EXTENSIONS : binaryExtensions)
                .stream()
                        .map(extension -> extension.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                        .collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(projectName, "projectName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sources, "sources");
    }

    /** {@code true} when a file with this name is copied rather than rendered. */
    public boolean isBinary(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && binaryExtensions.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

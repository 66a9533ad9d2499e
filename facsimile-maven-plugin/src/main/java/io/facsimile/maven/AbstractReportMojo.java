package io.facsimile.maven;

import io.facsimile.core.describe.OutputFormat;
import io.facsimile.maven.internal.PropertyNames;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/** A goal that prints a report ({@code describe}, {@code list}) to the log or to a file. */
public abstract class AbstractReportMojo extends AbstractFacsimileMojo {

    /**
     * How the report is printed: {@code text} (aligned lines for people), {@code json} or {@code yaml}
     * (for tools; best together with {@code outputFile}, so no log prefix gets in the way).
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.FORMAT, defaultValue = "text")
    private String format;

    /**
     * Writes the report to this file (UTF-8) instead of the log. Parent directories are created.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.OUTPUT_FILE)
    private File outputFile;

    /**
     * Prints the report to standard output as it is, without log prefix, also under {@code -q} (as
     * {@code help:evaluate}'s {@code forceStdout}): {@code mvn -q facsimile:list -Dfacsimile.format=json
     * -Dfacsimile.forceStdout | jq}. {@code outputFile} wins when both are given.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.FORCE_STDOUT, defaultValue = "false")
    private boolean forceStdout;

    /** The format asked for; an unknown name fails the build with the allowed ones. */
    protected final OutputFormat format() {
        return OutputFormat.parse(format);
    }

    /** Prints the report: one log line per line, the whole text into {@code outputFile}, or to stdout. */
    protected final void print(String report) throws MojoExecutionException {
        if (outputFile == null && forceStdout) {
            // the point of the switch: the report for a pipe, whatever the log level
            System.out.print(report.endsWith("\n") ? report : report + "\n");
            System.out.flush();
            return;
        }
        if (outputFile == null) {
            report.lines().forEach(getLog()::info);
            return;
        }
        Path file = outputFile.toPath();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
        }
        getLog().info("Wrote " + file);
    }
}

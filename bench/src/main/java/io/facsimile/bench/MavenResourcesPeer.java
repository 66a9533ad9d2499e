package io.facsimile.bench;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code mvn generate-resources} on a generated project, whose pom binds one maven-resources
 * {@code copy-resources} execution per instance, and reads the plugin time from the log: from the
 * timestamp of the first {@code copy-resources} header to that of {@code BUILD SUCCESS}. Maven's own
 * start-up (JVM, model building, plugin resolution) is therefore not counted against the peer.
 */
final class MavenResourcesPeer {

    private static final Pattern LINE = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) \\[INFO\\] (.*)$");

    private MavenResourcesPeer() {}

    /** The plugin time and the whole {@code mvn} wall time of one run. */
    record Timing(double pluginMillis, double wallMillis) {}

    static Timing run(Path project) {
        External.Result result = External.run(
                project,
                List.of(
                        "mvn",
                        "-o",
                        "-B",
                        "-ntp",
                        "-Dstyle.color=never",
                        "-Dorg.slf4j.simpleLogger.showDateTime=true",
                        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                        "generate-resources"));
        return new Timing(pluginMillis(result.output()), result.millis());
    }

    /** Milliseconds from the first copy-resources execution's header to {@code BUILD SUCCESS}. */
    static double pluginMillis(String log) {
        LocalTime first = null;
        LocalTime end = null;
        List<String> seen = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String text = m.group(2);
            if (first == null && text.contains(":copy-resources (")) {
                first = LocalTime.parse(m.group(1));
            } else if (text.startsWith("BUILD SUCCESS")) {
                end = LocalTime.parse(m.group(1));
            }
            seen.add(text);
        }
        if (first == null || end == null) {
            throw new IllegalStateException("no timed copy-resources execution in the mvn log:\n" + log);
        }
        long nanos = end.toNanoOfDay() - first.toNanoOfDay();
        return (nanos < 0 ? nanos + 86_400_000_000_000L : nanos) / 1e6;
    }
}

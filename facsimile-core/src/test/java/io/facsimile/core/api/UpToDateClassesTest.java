package io.facsimile.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fresh JVM loads when the stamp says an instance is up to date: an unchanged re-render and a
 * no-op deploy, each as a new {@code mvn} runs it, load no template engine, no schema validator, no SSH,
 * crypto or archiving code, the re-render not even jackson (its stamps are properties files) and the deploy no object mapper; a
 * deploy after an extra file changed runs no schema check. Counted from the JVM's own class loading log
 * ({@code -Xlog:class+load}) of a child JVM, never timed.
 */
class UpToDateClassesTest {

    /** What neither step may load: the template engine, the schema check, SSH, crypto, archives. */
    private static final List<String> NEVER = List.of(
            "org.apache.velocity.",
            "com.networknt.",
            "org.apache.sshd.",
            "com.google.crypto.tink.",
            "com.exceptionfactory.jagged.",
            "org.apache.commons.compress.",
            "io.facsimile.core.template.TemplateEngine",
            "io.facsimile.core.schema.",
            "io.facsimile.core.deploy.ssh.Ssh");

    @TempDir
    static Path basedir;

    private static List<String> renderClasses;
    private static List<String> deployClasses;
    private static List<String> changedClasses;
    private static String output;

    @BeforeAll
    static void renderDeployThenProbe() throws IOException, InterruptedException {
        ShopProject.write(basedir, "app: {port: 8080}", "deploy: {home: " + basedir.resolve("live") + "}");
        // the first render and deploy, here: what the probe then finds up to date
        assertThat(UpToDateProbe.facsimile(basedir)
                        .deploy("dev", new DeployOptions(java.util.Set.of(), false, null), coordinates -> null)
                        .ok())
                .isTrue();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "up-to-date-probe.log");
        Process child = new ProcessBuilder(
                        java,
                        "-Xshare:off", // every class is logged with its source, none from a shared archive
                        "-Xlog:class+load=info:stdout",
                        "-cp",
                        System.getProperty("java.class.path"),
                        UpToDateProbe.class.getName(),
                        basedir.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(log);
        output = String.join(
                "\n", lines.stream().filter(l -> !l.contains("[class,load]")).toList());
        assertThat(child.exitValue()).as(output).isZero();
        renderClasses = classesBetween(lines, UpToDateProbe.RENDER, UpToDateProbe.DEPLOY);
        deployClasses = classesBetween(lines, UpToDateProbe.DEPLOY, UpToDateProbe.CHANGED);
        changedClasses = classesBetween(lines, UpToDateProbe.CHANGED, UpToDateProbe.DONE);
    }

    /** The names of the classes loaded between two marker lines. */
    private static List<String> classesBetween(List<String> lines, String from, String to) {
        List<String> classes = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.equals(from)) {
                inside = true;
            } else if (line.equals(to)) {
                inside = false;
            } else if (inside && line.contains("[class,load]")) {
                // [0.123s][info][class,load] java.lang.Foo source: jrt:/java.base
                String rest = line.substring(line.indexOf("[class,load]") + "[class,load]".length())
                        .strip();
                classes.add(rest.substring(0, rest.indexOf(' ')));
            }
        }
        return classes;
    }

    @Test
    void theProbeSawBothStepsUpToDate() {
        assertThat(output)
                .contains("[INFO] dev: release dir up to date, nothing rewritten (no input changed)")
                .contains("deploy ok: true")
                .contains("deploy after the change ok: true");
        assertThat(renderClasses).isNotEmpty().contains(io.facsimile.core.incremental.ReleaseStamp.class.getName());
        assertThat(deployClasses).isNotEmpty();
    }

    @Test
    void anUnchangedRenderLoadsNoTemplateSchemaSshCryptoOrJacksonClass() {
        assertThat(renderClasses)
                .noneMatch(name -> NEVER.stream().anyMatch(name::startsWith))
                .noneMatch(name -> name.startsWith("com.fasterxml.jackson."));
    }

    /**
     * Nor does it link what Maven's own code never needs and a fresh JVM builds on first use: the
     * generated methods of records ({@code ObjectMethods}: 35–45 ms for the first {@code equals} of a
     * record in a fresh JVM on this machine).
     */
    @Test
    void anUnchangedRenderAndAnyDeployBootstrapNoRecordMethods() {
        assertThat(renderClasses).isNotEmpty().doesNotContain("java.lang.runtime.ObjectMethods");
        assertThat(deployClasses).isNotEmpty().doesNotContain("java.lang.runtime.ObjectMethods");
        assertThat(changedClasses).isNotEmpty().doesNotContain("java.lang.runtime.ObjectMethods");
    }

    /**
     * The same for string concatenation: the build compiles with {@code -XDstringConcat=inline}, so that
     * {@code "a" + b} is a {@code StringBuilder}, not a call site that {@code StringConcatFactory} links
     * on first use. Checked in a class file that concatenates.
     */
    @Test
    void theCoreIsCompiledWithoutLinkedStringConcatenation() throws IOException {
        try (var in = StateKeeping.class.getResourceAsStream("StateKeeping.class")) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains("StringBuilder")
                    .doesNotContain("makeConcatWithConstants");
        }
    }

    @Test
    void aDeployAfterAnExtraFileChangedChecksNoSchemaAgainAndMakesNoObjectMapper() {
        assertThat(changedClasses)
                .isNotEmpty()
                .contains(io.facsimile.core.deploy.DeployLogEntry.class.getName()) // it logged a deploy
                .noneMatch(name -> name.startsWith("com.networknt.") || name.startsWith("io.facsimile.core.schema."))
                .noneMatch(name -> name.startsWith("com.fasterxml.jackson.databind.ObjectMapper"));
    }

    @Test
    void aNoOpDeployLoadsNoTemplateSchemaSshOrCryptoClass() {
        assertThat(deployClasses).noneMatch(name -> NEVER.stream().anyMatch(name::startsWith));
    }

    @Test
    void aNoOpDeployReadsTheStateAndTheLogWithoutAnObjectMapper() {
        assertThat(deployClasses)
                .contains("com.fasterxml.jackson.databind.node.ObjectNode") // the state was read
                .noneMatch(name -> name.startsWith("com.fasterxml.jackson.databind.ObjectMapper")
                        || name.startsWith("com.fasterxml.jackson.databind.deser.")
                        || name.startsWith("com.fasterxml.jackson.databind.ser."));
    }
}

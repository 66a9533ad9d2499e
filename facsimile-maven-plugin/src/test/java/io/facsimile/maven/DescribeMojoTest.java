package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The describe goal's wiring: the instance from the pom, format and explain from properties, output to a file. */
@MojoTest
@Basedir("src/test/resources/unit/validate")
class DescribeMojoTest {

    private static final String POM = "pom.xml";

    /** Reads and removes a report written below the test project, so the source tree stays clean. */
    private static String output(String name) throws IOException {
        Path file = Path.of(MojoExtension.getBasedir(), "target", name);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @InjectMojo(goal = "describe", pom = POM)
    @MojoParameter(name = "outputFile", value = "target/describe.json")
    @MojoParameter(name = "format", value = "json")
    void describesTheConfiguredInstanceAsJson(DescribeMojo mojo) throws Exception {
        mojo.execute();
        String json = output("describe.json");
        assertThat(json)
                .contains(
                        "\"instance\" : \"prod.eu1\"",
                        "\"path\" : \"app.port\"",
                        "\"origin\" : \"src/main/facsimile/prod.yaml:2\"");
    }

    @Test
    @InjectMojo(goal = "describe", pom = POM)
    @MojoParameter(name = "outputFile", value = "target/explain.txt")
    @MojoParameter(name = "explain", value = "app.port")
    void explainsOneKey(DescribeMojo mojo) throws Exception {
        mojo.execute();
        assertThat(output("explain.txt"))
                .startsWith("app.port in prod.eu1 = 443\n  set by prod at src/main/facsimile/prod.yaml:2\n");
    }

    @Test
    @InjectMojo(goal = "describe", pom = POM)
    @MojoParameter(name = "format", value = "xml")
    void anUnknownFormatFailsTheBuild(DescribeMojo mojo) {
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("unknown output format \"xml\"; use one of text, json, yaml");
    }

    @Test
    @InjectMojo(goal = "describe", pom = POM)
    @MojoParameter(name = "forceStdout", value = "true")
    @MojoParameter(name = "explain", value = "app.port")
    void forceStdoutPrintsTheBareReportWhateverTheLogLevel(DescribeMojo mojo) throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            mojo.execute();
        } finally {
            System.setOut(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .startsWith("app.port in prod.eu1 = 443\n  set by prod at src/main/facsimile/prod.yaml:2\n");
    }
}

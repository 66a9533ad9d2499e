package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The validate goal's wiring: parameters from the pom and from properties reach the core. */
@MojoTest
@Basedir("src/test/resources/unit/validate")
class ValidateMojoTest {

    private static final String POM = "pom.xml";

    @Test
    @InjectMojo(goal = "validate", pom = POM)
    void configuredInstancesAreValidated(ValidateMojo mojo) throws Exception {
        List<String> instances = MojoExtension.getVariableValueFromObject(mojo, "instances");
        assertThat(instances).containsExactly("prod.eu1");
        mojo.execute();
    }

    @Test
    @InjectMojo(goal = "validate", pom = POM)
    @MojoParameter(name = "instancesList", value = "qa.ap9")
    void anUnknownInstanceFailsTheBuildWithTheKnownOnes(ValidateMojo mojo) {
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("qa.ap9")
                .hasMessageContaining("prod");
    }

    @Test
    @InjectMojo(goal = "validate", pom = POM)
    @MojoParameter(name = "skip", value = "true")
    @MojoParameter(name = "definitionsDirectory", value = "does-not-exist")
    void skipSkipsBeforeAnythingIsRead(ValidateMojo mojo) throws Exception {
        mojo.execute();
        File state = new File(MojoExtension.getBasedir(), ".facsimile");
        assertThat(state).doesNotExist();
    }
}

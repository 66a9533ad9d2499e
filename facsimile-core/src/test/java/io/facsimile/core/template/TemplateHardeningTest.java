package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.reliability.Case;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Templates and definition values that try to run code or to be evaluated as templates. */
class TemplateHardeningTest {

    private static final String NAME = "tmpl/_ALL_/_DEPLOY_/etc/app.conf";

    private final TemplateEngine engine = new TemplateEngine();

    private String render(String source, Object trap) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("trap", trap);
        definition.put("n", 1);
        return engine.render(NAME, source, TemplateContext.of(TemplateEngineTest.model(definition)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "$instance.getClass().forName('java.lang.Runtime').getRuntime().exec('touch /tmp/pwned')",
                "$instance.trap.getClass().forName('java.lang.Runtime')",
                "$instance.trap.class.forName('java.lang.Runtime')",
                "$instance.n.class.forName('java.lang.ProcessBuilder')",
                "#set($s = '')$s.class.forName('java.lang.Runtime')",
                "#set($s = '')$s.getClass().getClassLoader().loadClass('java.lang.Runtime')",
                "$fmt.getClass().forName('java.lang.Runtime')",
                "$esc.class.getProtectionDomain()",
                "$math.getClass().getClassLoader()",
                "$project.properties.getClass().forName('java.lang.Runtime')",
                "#set($m = $instance.trap.getClass().getMethods())$m",
                "#foreach($x in $instance.trap.getClass().getDeclaredMethods())$x.invoke(null)#end",
                "$instance.trap.class.getModule().getClassLoader()",
                "#set($t = $instance.trap.getClass().forName('java.lang.Thread'))$t.currentThread()",
            })
    @Case("input.template-reflection")
    void reflectionTowardsRuntimeIsBlocked(String template) {
        assertThatThrownBy(() -> render(template, "x"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(NAME + ":");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#set($x = 1)$x",
                "#parse('/etc/passwd')",
                "#include('/etc/passwd')",
                "#evaluate('$instance')",
                "#define($d)evil#end$d",
                "${instance.getClass().forName('java.lang.Runtime')}",
                "$!{undefined}#if(true)x#end",
                "#macro(m)evil#end#m()",
                "## a comment #* block *#",
            })
    @Case("input.values-literal")
    void definitionValuesHoldingDirectivesRenderLiterally(String value) {
        assertThat(render("v=$instance.trap", value)).isEqualTo("v=" + value);
        assertThat(render("#foreach($v in [$instance.trap])$v#end", value)).isEqualTo(value);
        assertThat(render("$fmt.properties({'k': $instance.trap})", value)).doesNotContain("evil\n");
    }
}

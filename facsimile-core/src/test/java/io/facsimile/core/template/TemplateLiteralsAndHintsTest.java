package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A literal {@code $} in shell, systemd and nginx templates, and the hints of an undefined reference. */
class TemplateLiteralsAndHintsTest {

    private static final String NAME = "tmpl/_ALL_/_DEPLOY_/etc/app.service";

    private final TemplateEngine engine = new TemplateEngine();

    private String render(String source) {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("host", "db1");
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("db", db);
        return engine.render(NAME, source, TemplateContext.of(TemplateEngineTest.model(definition)));
    }

    @Test
    void aBackslashKeepsAReferenceAsItIsDefinedOrNot() {
        assertThat(render("ExecStart=/bin/app --home \\${HOME} \\$USER \\$instance.db.host $instance.db.host"))
                .isEqualTo("ExecStart=/bin/app --home ${HOME} $USER $instance.db.host db1");
    }

    @Test
    void anUnparsedBlockKeepsEverything() {
        assertThat(render("#[[if [ -n \"${VAR}\" ]; then echo $VAR; fi]]# $instance.db.host"))
                .isEqualTo("if [ -n \"${VAR}\" ]; then echo $VAR; fi db1");
    }

    @Test
    void anUndefinedNameSaysHowToWriteItLiterally() {
        assertThatThrownBy(() -> render("a\nExecStart=/bin/app ${HOME}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(NAME + ":2:20: undefined reference ${HOME}; no template variable is called HOME:"
                        + " to write ${HOME} as it is, put a backslash before it (\\${HOME}) or the text inside"
                        + " #[[ ... ]]#");
    }

    @Test
    void anEscapedBackslashBeforeAnUndefinedNameNamesIt() {
        assertThatThrownBy(() -> render("\\\\$name"))
                .hasMessageContaining("undefined reference $name;")
                .hasMessageNotContaining("?");
    }

    @Test
    void anUndefinedKeySuggestsTheNearestAndAModuleListsTheModules() {
        assertThatThrownBy(() -> render("$instance.db.hots"))
                .hasMessageEndingWith("undefined reference $instance.db.hots (did you mean host?)");
        assertThatThrownBy(() -> render("$instnce.db"))
                .hasMessageContaining("undefined reference $instnce.db (did you mean $instance?)");
        assertThatThrownBy(() -> render("$module.apii.username"))
                .hasMessageEndingWith("undefined reference $module.apii.username (did you mean api?); modules: api");
        assertThatThrownBy(() -> render("$module.web.username"))
                .hasMessageEndingWith("undefined reference $module.web.username; modules: api");
    }
}

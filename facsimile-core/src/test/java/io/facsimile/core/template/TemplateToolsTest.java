package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code $esc} and {@code $math} behave as Velocity Tools' EscapeTool and MathTool did. */
class TemplateToolsTest {

    private final TemplateEscapeTool esc = new TemplateEscapeTool();
    private final TemplateMathTool math = new TemplateMathTool();

    @Test
    void escapesAsTheEscapeToolDid() {
        assertThat(esc.xml("<a href=\"x\">'&'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
        assertThat(esc.html("<é>")).isEqualTo("&lt;&eacute;&gt;");
        assertThat(esc.java("a\"b\n")).isEqualTo("a\\\"b\\n");
        assertThat(esc.javascript("it's")).isEqualTo("it\\'s");
        assertThat(esc.url("a b&c=é")).isEqualTo("a+b%26c%3D%C3%A9");
        assertThat(esc.unurl("a+b%26c")).isEqualTo("a b&c");
        assertThat(esc.sql("O'Brien")).isEqualTo("O''Brien");
        assertThat(esc.unicode("é!")).isEqualTo("\\u00E9!");
        assertThat(esc.propertyKey("db pass")).isEqualTo("db\\ pass");
        assertThat(esc.propertyValue(" x=y")).isEqualTo("\\ x\\=y");
        assertThat(esc.velocity("$a #b")).isEqualTo("${esc.d}a ${esc.h}b");
        assertThat(esc.xml(null)).isNull();
        assertThat(esc.getD() + esc.getH() + esc.getB() + esc.getQ() + esc.getS() + esc.getE() + esc.getN())
                .isEqualTo("$#\\\"'!\n");
    }

    @Test
    void wholeArgumentsGiveWholeResultsAndOtherwiseADouble() {
        assertThat(math.add(1, 2)).isEqualTo(3);
        assertThat(math.add(1, "2", 3L)).isEqualTo(6);
        assertThat(math.add(1.5, 2)).isEqualTo(3.5);
        assertThat(math.add(1.0, 2)).isEqualTo(3.0);
        assertThat(math.sub(10, 3, 2)).isEqualTo(5);
        assertThat(math.mul(3, "4")).isEqualTo(12);
        assertThat(math.div(6, 3)).isEqualTo(2);
        assertThat(math.div(5, 2)).isEqualTo(2.5);
        assertThat(math.mul(Integer.MAX_VALUE, 2)).isEqualTo(4294967294L);
        assertThat(math.max(3, 9, 4)).isEqualTo(9);
        assertThat(math.min(3, 9, 4)).isEqualTo(3);
        assertThat(math.pow(2, 10)).isEqualTo(1024);
        assertThat(math.idiv(7, 2)).isEqualTo(3);
        assertThat(math.mod(7, 2)).isEqualTo(1);
        assertThat(math.abs(-4)).isEqualTo(4);
        assertThat(math.ceil(1.2)).isEqualTo(2);
        assertThat(math.floor(-1.2)).isEqualTo(-2);
        assertThat(math.round(2.5)).isEqualTo(3);
        assertThat(math.roundTo(2, 3.14159)).isEqualTo(3.14);
        assertThat(math.toInteger("42")).isEqualTo(42);
        assertThat(math.toDouble("1.5")).isEqualTo(1.5);
    }

    @Test
    void notANumberOrADivisionByZeroIsNullForStrictModeToReport() {
        assertThat(math.add(1, "x")).isNull();
        assertThat(math.add(1, null)).isNull();
        assertThat(math.div(1, 0)).isNull();
        assertThat(math.idiv(1, 0)).isNull();
        assertThat(math.toNumber(new Object())).isNull();
    }

    @Test
    @io.facsimile.core.reliability.Case("secrets.escaped-forms")
    void fmtYamlKeepsALongValueOnOneLineSoThatASecretInItIsFoundWhole() {
        String secret = "pass word with spaces and a \\ and a \" in it, long enough to fold";
        String yaml = new FormatTool().yaml(java.util.Map.of("a-rather-long-key-" + "k".repeat(50), secret));
        assertThat(yaml.strip().lines()).hasSize(1);
        assertThat(io.facsimile.core.text.SecretForms.written(secret)).anyMatch(yaml::contains);
    }
}

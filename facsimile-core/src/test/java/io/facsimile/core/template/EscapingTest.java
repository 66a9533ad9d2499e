package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** A secret with every character that breaks a naive output format must come back exactly. */
class EscapingTest {

    private static final String SECRET = "p\"a\\s$s{x}\n#set($y=1)</script> ü=:!# \t end ";

    private final TemplateEngine engine = new TemplateEngine();

    private String render(String source) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("db", new LinkedHashMap<>(Map.of("password", SECRET, "user", "app", "port", 5432)));
        definition.put("hosts", List.of("a", "b"));
        return engine.render("t", source, TemplateContext.of(TemplateEngineTest.model(definition)));
    }

    @Test
    void propertiesViaFmt() throws Exception {
        Properties loaded = new Properties();
        loaded.load(new StringReader(render("$fmt.properties($instance)")));
        assertThat(loaded)
                .containsEntry("db.password", SECRET)
                .containsEntry("db.port", "5432")
                .containsEntry("hosts.0", "a")
                .containsEntry("hosts.1", "b");
        // the output is pure ASCII, so it also loads the way Properties.load(InputStream) reads it
        Properties latin1 = new Properties();
        latin1.load(
                new ByteArrayInputStream(render("$fmt.properties($instance)").getBytes(StandardCharsets.UTF_8)));
        assertThat(latin1.getProperty("db.password")).isEqualTo(SECRET);
    }

    @Test
    void propertiesOutputHasNoDateAndSortedKeys() {
        assertThat(render("$fmt.properties($instance.db)"))
                .startsWith("password=")
                .doesNotStartWith("#")
                .endsWith("port=5432\nuser=app\n");
    }

    @Test
    void propertiesViaEscapeTool() throws Exception {
        Properties loaded = new Properties();
        loaded.load(new StringReader(
                "$esc.propertyKey('db pass') = $esc.propertyValue($instance.db.password)\n".transform(this::render)));
        assertThat(loaded.getProperty("db pass")).isEqualTo(SECRET);
    }

    @Test
    void xmlViaEscapeTool() throws Exception {
        String xml = render("<config><password>$esc.xml($instance.db.password)</password>"
                + "<attr value=\"$esc.xml($instance.db.password)\"/></config>");
        Document document =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        assertThat(document.getElementsByTagName("password").item(0).getTextContent())
                .isEqualTo(SECRET);
    }

    @Test
    void yamlViaFmt() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        Map<?, ?> back = yaml.readValue(render("$fmt.yaml($instance)"), Map.class);
        assertThat(back)
                .isEqualTo(Map.of(
                        "db", Map.of("password", SECRET, "user", "app", "port", 5432), "hosts", List.of("a", "b")));
        assertThat(((Map<?, ?>) back.get("db")).get("password")).isEqualTo(SECRET);
        assertThat(back.get("hosts")).isEqualTo(List.of("a", "b"));
        assertThat(render("$fmt.yaml($instance)")).doesNotStartWith("---").doesNotContain("\r");
        assertThat(yaml.readValue("password: " + render("$fmt.yaml($instance.db.password)"), Map.class)
                        .get("password"))
                .isEqualTo(SECRET);
    }

    @Test
    void jsonViaEscapeToolAndFmt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<?, ?> quoted = json.readValue(render("{\"password\": \"$esc.json($instance.db.password)\"}"), Map.class);
        assertThat(quoted.get("password")).isEqualTo(SECRET);
        Map<?, ?> formatted = json.readValue(render("{\"password\": $fmt.json($instance.db.password)}"), Map.class);
        assertThat(formatted.get("password")).isEqualTo(SECRET);
        Map<?, ?> tree = json.readValue(render("$fmt.json($instance)"), Map.class);
        assertThat(tree)
                .isEqualTo(Map.of(
                        "db", Map.of("password", SECRET, "user", "app", "port", 5432), "hosts", List.of("a", "b")));
        assertThat(render("$esc.json($instance.db.password)")).contains("<\\/script>");
        assertThat(render("$fmt.json($instance.db)"))
                .startsWith("{\n  \"password\"")
                .doesNotContain("\r");
    }

    @Test
    void propertiesOfAScalarIsATemplateError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render("\n $fmt.properties($instance.db.user)"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("t:2:")
                .hasMessageContaining("$fmt.properties needs a map, found string");
    }
}

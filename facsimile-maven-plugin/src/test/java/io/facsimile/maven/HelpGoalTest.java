package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.facsimile.facsimile_maven_plugin.HelpMojo;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** {@code mvn facsimile:help -Ddetail} shows what a user types: no internal field names, every goal's switch. */
class HelpGoalTest {

    @Test
    void detailedHelpNamesUserParametersOnly() throws Exception {
        List<String> lines = new ArrayList<>();
        HelpMojo help = new HelpMojo();
        set(help, "detail", true);
        set(help, "lineLength", 120);
        set(help, "indentSize", 2);
        help.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });

        help.execute();

        String text = String.join("\n", lines);
        assertThat(text).doesNotContain("skipGoal").doesNotContain("facsimileInstance");
        assertThat(text).contains("skipDeploy", "skipRollback", "skipDiff", "skipVerify", "skipRender");
        assertThat(text).contains("Exact copies of an environment from one set of versioned definitions");
    }

    @Test
    void everyGoalAndEveryParameterATypeableNameHasSince() throws Exception {
        Document descriptor;
        try (InputStream in = HelpGoalTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            descriptor =
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        List<String> missing = new ArrayList<>();
        NodeList mojos = descriptor.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = child(mojo, "goal");
            if (!goal.equals("help") && child(mojo, "since").isEmpty()) {
                missing.add(goal);
            }
            NodeList parameters = mojo.getElementsByTagName("parameter");
            for (int j = 0; j < parameters.getLength(); j++) {
                Element parameter = (Element) parameters.item(j);
                if (!goal.equals("help")
                        && child(parameter, "editable").equals("true")
                        && child(parameter, "since").isEmpty()) {
                    missing.add(goal + "/" + child(parameter, "name"));
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    private static String child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        return "";
    }

    private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }
}

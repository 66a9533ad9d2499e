package io.facsimile.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Eclipse m2e mapping shipped in the plugin jar covers every goal of the plugin descriptor once:
 * render and package run on configuration and full builds only, the other goals never in the IDE.
 */
class M2eLifecycleMappingTest {

    @Test
    void everyGoalIsMappedOnceAndOnlyRenderAndPackageRun() throws Exception {
        Document mapping = parse("/META-INF/m2e/lifecycle-mapping-metadata.xml");
        List<String> executed = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        NodeList executions = mapping.getElementsByTagName("pluginExecution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            List<String> goals = texts(execution, "goal");
            if (execution.getElementsByTagName("ignore").getLength() > 0) {
                ignored.addAll(goals);
            } else {
                assertThat(texts(execution, "runOnIncremental")).containsExactly("false");
                assertThat(texts(execution, "runOnConfiguration")).containsExactly("true");
                executed.addAll(goals);
            }
        }
        List<String> goals = new ArrayList<>();
        NodeList mojos = parse("/META-INF/maven/plugin.xml").getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            goals.add(texts((Element) mojos.item(i), "goal").get(0));
        }

        assertThat(executed).containsExactlyInAnyOrder("render", "package");
        List<String> all = new ArrayList<>(executed);
        all.addAll(ignored);
        assertThat(all).containsExactlyInAnyOrderElementsOf(goals);
    }

    private static Document parse(String resource) throws Exception {
        try (InputStream in = M2eLifecycleMappingTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().trim());
        }
        return texts;
    }
}

package io.facsimile.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

class OutputCheckerTest {

    private static List<String> problems(String destination, String text) {
        return OutputChecker.check(destination, "tmpl/_ALL_/" + destination, text).stream()
                .map(OutputProblem::toString)
                .toList();
    }

    /** Asserts that the file has exactly one problem, whose text the caller checks. */
    private static AbstractStringAssert<?> assertOneProblem(String destination, String text) {
        return assertThat(problems(destination, text)).singleElement().asString();
    }

    @Test
    void leftoverFacsimilePlaceholdersAreReportedWithTheirLine() {
        assertThat(problems("app.conf", "a=1\nhost=${instance.db.host}\nq=$!{x}\n"))
                .containsExactly(
                        "app.conf:2 (from tmpl/_ALL_/app.conf): unresolved placeholder ${instance.db.host};"
                                + " a template reference that was escaped or a copied file that should be a template?",
                        "app.conf:3 (from tmpl/_ALL_/app.conf): unresolved placeholder $!{x};"
                                + " a template reference that was escaped or a copied file that should be a template?");
        assertThat(problems("x.txt", "${env.HOME} ${ref:db.host} ${instance}")).hasSize(3);
    }

    @Test
    void shellAndSpringPlaceholdersAreTheirOwn() {
        assertThat(problems("start.sh", "cd ${HOME}\necho ${APP_DIR:-/srv}\n")).isEmpty();
        assertThat(problems("application.properties", "url=${DB_URL}\n")).isEmpty();
    }

    @Test
    void jsonAndYamlMustParse() {
        assertThat(problems("a.json", "{\"a\": 1}")).isEmpty();
        assertOneProblem("a.json", "{\n  \"a\": 1,\n  \"a\": 2\n}")
                .startsWith("a.json:3 (from tmpl/_ALL_/a.json): not valid JSON: Duplicate field 'a'");
        assertOneProblem("a.json", "{\n  \"a\": 1\n").startsWith("a.json:").contains("not valid JSON");
        assertThat(problems("a.yaml", "a: 1\n---\nb: 2\n")).isEmpty();
        assertOneProblem("a.yml", "a: 1\n b: [\n").startsWith("a.yml:2").contains("not valid YAML");
    }

    @Test
    void xmlMustParseAndNoExternalEntityIsRead() {
        assertThat(problems("a.xml", "<a><b/></a>")).isEmpty();
        assertOneProblem("a.xml", "<a>\n<b></a>").startsWith("a.xml:2").contains("not valid XML");
        String external =
                "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<a>&x;</a>";
        assertThat(problems("a.xml", external)).isEmpty();
        assertThat(problems("b.xml", "<!DOCTYPE a SYSTEM \"http://example.invalid/a.dtd\">\n<a/>"))
                .isEmpty();
    }

    @Test
    void propertiesAreReadStrictly() {
        assertThat(problems("a.properties", "# c\n! c\na=1\nb : 2\nc 3\nd=\\\n  continued\ne=\n"))
                .isEmpty();
        assertThat(problems("a.properties", "a=1\nb=2\na=3\n"))
                .containsExactly(
                        "a.properties:3 (from tmpl/_ALL_/a.properties):"
                                + " not valid properties: key \"a\" is set again (first on line 1); the last one wins silently, remove one");
        assertOneProblem("a.properties", "a=1\nlonely\n")
                .startsWith("a.properties:2")
                .contains("key \"lonely\" has no = or : and no value");
        assertOneProblem("a.properties", "a=\\u12G4\n")
                .startsWith("a.properties:1")
                .contains("malformed \\uXXXX escape");
        assertOneProblem("a.properties", "a=1\nb=2\\\n")
                .startsWith("a.properties:2")
                .contains("continues into the end of the file");
    }
}

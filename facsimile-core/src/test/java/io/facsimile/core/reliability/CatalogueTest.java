package io.facsimile.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/reliability.md} and the tests in step. The catalogue is a table of cases; each
 * row has an id, the promise attacked, an outcome and its proofs ({@code Class#method} below
 * {@code io.facsimile.core}, or {@code src/it/<project>}). This test fails when
 * <ul>
 *   <li>a proof names a test method or invoker IT that does not exist,
 *   <li>a covered row has no proof, or a "not covered" row claims one,
 *   <li>a test carries {@link Case} with an id whose row does not list that test.
 * </ul>
 */
class CatalogueTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path CATALOGUE = ROOT.resolve("docs/reliability.md");
    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*`?([a-z]+\\.[a-z0-9-]+)`?\\s*\\|(.*)\\|(.*)\\|(.*)\\|\\s*$");
    private static final Pattern PROOF = Pattern.compile("`([A-Za-z0-9_./-]+(?:#[A-Za-z0-9_]+)?)`");
    private static final Set<String> OUTCOMES = Set.of("holds", "fixed", "partly", "not covered");
    private static final Set<String> TEST_ANNOTATIONS = Set.of("Test", "ParameterizedTest", "Property", "RepeatedTest");

    record Row(String id, String outcome, List<String> proofs) {}

    static Map<String, Row> rows() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(CATALOGUE, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String outcome = m.group(3).strip().replace("*", "").split(":")[0].strip();
            List<String> proofs = new ArrayList<>();
            Matcher p = PROOF.matcher(m.group(4));
            while (p.find()) {
                proofs.add(p.group(1));
            }
            Row previous = rows.put(m.group(1), new Row(m.group(1), outcome, proofs));
            assertThat(previous).as("case %s listed twice", m.group(1)).isNull();
        }
        return rows;
    }

    @Test
    void everyRowHasAKnownOutcomeAndProofsThatExist() throws Exception {
        Map<String, Row> rows = rows();
        assertThat(rows).hasSizeGreaterThan(20);
        for (Row row : rows.values()) {
            assertThat(OUTCOMES).as("outcome of %s", row.id()).contains(row.outcome());
            if (row.outcome().equals("not covered")) {
                assertThat(row.proofs())
                        .as("%s is not covered, so it names no proof", row.id())
                        .isEmpty();
                continue;
            }
            assertThat(row.proofs()).as("proofs of %s", row.id()).isNotEmpty();
            for (String proof : row.proofs()) {
                if (proof.startsWith("src/it/")) {
                    assertThat(ROOT.resolve(proof).resolve("invoker.properties"))
                            .as("IT of %s", row.id())
                            .isRegularFile();
                    continue;
                }
                String[] parts = proof.split("#");
                assertThat(parts)
                        .as("proof %s of %s must be Class#method", proof, row.id())
                        .hasSize(2);
                Class<?> type = Class.forName("io.facsimile.core." + parts[0]);
                // a test inherited from a superclass (the same attack over another transport) counts too
                assertThat(java.util.stream.Stream.<Class<?>>iterate(type, c -> c != null, Class::getSuperclass)
                                .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                                .filter(m -> m.getName().equals(parts[1])))
                        .as("test method %s of %s", proof, row.id())
                        .anyMatch(CatalogueTest::isTest);
            }
        }
    }

    @Test
    void everyMarkedTestIsListedUnderItsCase() throws Exception {
        Map<String, Row> rows = rows();
        Set<String> marked = new TreeSet<>();
        for (Method method : testMethods()) {
            Case marker = method.getAnnotation(Case.class);
            if (marker == null) {
                continue;
            }
            String proof = method.getDeclaringClass().getName().substring("io.facsimile.core.".length()) + "#"
                    + method.getName();
            for (String id : marker.value()) {
                marked.add(id);
                assertThat(rows)
                        .as("@Case(\"%s\") on %s: no such row in %s", id, proof, CATALOGUE)
                        .containsKey(id);
                assertThat(rows.get(id).proofs())
                        .as("row %s must list %s", id, proof)
                        .contains(proof);
            }
        }
        assertThat(marked).as("the hardening tests are found").hasSizeGreaterThan(10);
    }

    @Test
    void invokerItsNamedAsProofsSayWhichCaseTheyProve() throws IOException {
        for (Row row : rows().values()) {
            for (String proof : row.proofs()) {
                Path verify = ROOT.resolve(proof).resolve("verify.groovy");
                if (proof.startsWith("src/it/secrets-") && Files.exists(verify)) {
                    assertThat(Files.readString(verify)).as(verify.toString()).contains("// case: " + row.id());
                }
            }
        }
    }

    private static boolean isTest(Method method) {
        return Arrays.stream(method.getAnnotations())
                .map(Annotation::annotationType)
                .map(Class::getSimpleName)
                .anyMatch(TEST_ANNOTATIONS::contains);
    }

    private static List<Method> testMethods() throws IOException, ClassNotFoundException {
        Path classes = Path.of(CatalogueTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        List<Method> methods = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, CatalogueTest.class.getClassLoader());
                methods.addAll(Arrays.asList(type.getDeclaredMethods()));
            }
        }
        return methods;
    }
}

package io.facsimile.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.format.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolationTest {

    @TempDir
    Path basedir;

    Path defs;

    @BeforeEach
    void directories() throws IOException {
        defs = Files.createDirectories(basedir.resolve("src/main/facsimile"));
    }

    private Path prodFile() {
        return defs.resolve("prod.yaml");
    }

    private Path prod(String... lines) throws IOException {
        Path file = prodFile();
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Writes {@code prod.yaml} and resolves the instance {@code prod}. */
    private Definition resolveProd(String... lines) throws IOException {
        prod(lines);
        return resolve("prod");
    }

    /** Writes {@code prod.yaml}, resolves {@code prod} and checks the value of each key given. */
    private void assertResolved(Map<String, Object> expected, String... lines) throws IOException {
        Definition definition = resolveProd(lines);
        expected.forEach((key, value) -> assertThat(definition.get(key)).as(key).contains(value));
    }

    /** Writes {@code prod.yaml} and asserts that resolving {@code prod} fails with a definition error. */
    private AbstractThrowableAssert<?, ? extends Throwable> resolvingProdFails(String... lines) throws IOException {
        prod(lines);
        return assertThatThrownBy(() -> resolve("prod")).isInstanceOf(DefinitionException.class);
    }

    private Definition resolve(String instance) {
        ProjectContext project = new ProjectContext(
                basedir,
                basedir.resolve("target"),
                "io.example",
                "shop",
                "1.2.3",
                "shop",
                Map.of("db.driver", "postgres"),
                Map.of("HOME_DIR", "/home/shop", "EMPTY", ""));
        return new DefinitionResolver(DefinitionSources.locate(basedir, null, List.of()), project).resolve(instance);
    }

    @Test
    void environmentVariablesWithAndWithoutFallback() throws IOException {
        Definition definition = resolveProd(
                "home: ${env.HOME_DIR}/app",
                "missing: ${env.NOPE:-/opt/default}",
                "empty: ${env.EMPTY:-was empty}",
                "set: ${env.HOME_DIR:-unused}",
                "emptyFallback: x${env.NOPE:-}y");

        assertThat(definition.get("home")).contains("/home/shop/app");
        assertThat(definition.get("missing")).contains("/opt/default");
        assertThat(definition.get("empty")).contains("was empty");
        assertThat(definition.get("set")).contains("/home/shop");
        assertThat(definition.get("emptyFallback")).contains("xy");
        // what it was resolved from: every variable named, set or not, and no other
        assertThat(definition.environment()).containsExactly("EMPTY", "HOME_DIR", "NOPE");
    }

    @Test
    void onlyTheVariablesLookedUpAreRecorded() throws IOException {
        // a fallback not taken is not looked up: were HOME_DIR unset, its recorded value would differ
        prod("home: ${env.HOME_DIR:-${env.OTHER}}", "missing: ${env.NOPE:-${env.EMPTY:-x}}", "plain: text");

        assertThat(resolve("prod").environment()).containsExactly("EMPTY", "HOME_DIR", "NOPE");
        prod("plain: text");
        assertThat(resolve("prod").environment()).isEmpty();
    }

    @Test
    void unsetEnvironmentVariableNamesFileLineAndKey() throws IOException {
        resolvingProdFails("db:", "  password: ${env.DB_PASS}")
                .hasMessageStartingWith(prodFile() + ":2:13: db.password: environment variable DB_PASS is not set");
    }

    @Test
    void aSingleColonFallbackSuggestsTheColonDash() throws IOException {
        resolvingProdFails("log:", "  level: ${env.LOG_LEVEL:info}")
                .hasMessageStartingWith(prodFile() + ":2:10: log.level: ${env.LOG_LEVEL:info} reads a variable named"
                        + " \"LOG_LEVEL:info\", which is not set; for a fallback write ${env.LOG_LEVEL:-info}");
    }

    @Test
    void projectPropertiesAndInstance() throws IOException {
        prod(
                "artifact: ${project.groupId}:${project.artifactId}:${project.version}",
                "driver: ${prop.db.driver}",
                "name: ${instance}-${project.name}",
                "missing: ${prop.nope:-none}");

        Definition definition = resolve("prod.eu1");

        assertThat(definition.get("artifact")).contains("io.example:shop:1.2.3");
        assertThat(definition.get("driver")).contains("postgres");
        assertThat(definition.get("name")).contains("prod.eu1-shop");
        assertThat(definition.get("missing")).contains("none");
    }

    @Test
    @io.facsimile.core.reliability.Case("input.unbounded-values")
    void aReferenceChainTooDeepOrAValueThatGrowsWithoutBoundIsAUserErrorNamingTheKey() throws IOException {
        // 1,000 values, each a reference to the next: a stack overflow before
        List<String> chain = new java.util.ArrayList<>(List.of("k:"));
        for (int i = 0; i < 1000; i++) {
            chain.add("  k" + i + ": ${ref:k.k" + (i + 1) + "}");
        }
        chain.add("  k1000: end");
        resolvingProdFails(chain.toArray(String[]::new))
                .hasMessageContaining("prod.yaml:")
                .hasMessageContaining("references nested more than 200 deep")
                .matches(e -> ((DefinitionException) e).isUserError());
        // 40 values, each twice the next: 2^40 characters before
        List<String> doubling = new java.util.ArrayList<>(List.of("k:"));
        for (int i = 0; i < 40; i++) {
            doubling.add("  k" + i + ": ${ref:k.k" + (i + 1) + "}${ref:k.k" + (i + 1) + "}");
        }
        doubling.add("  k40: xxxxxxxxxxxxxxxx");
        resolvingProdFails(doubling.toArray(String[]::new))
                .hasMessageContaining("prod.yaml:")
                .hasMessageContaining("longer than 1 MiB once its references are replaced");
    }

    @Test
    void doubleDollarIsALiteral() throws IOException {
        assertResolved(
                Map.of("script", "echo ${HOME} and ${env.HOME_DIR}", "cost", "5$ and $HOME"),
                "script: echo $${HOME} and $${env.HOME_DIR}",
                "cost: 5$ and $HOME");
    }

    @Test
    void referencesFollowChainsAndKeepTypesWhenWhole() throws IOException {
        Definition definition = resolveProd(
                "db:",
                "  host: ${ref:hosts.db}",
                "  port: 5432",
                "  url: jdbc:postgresql://${ref:db.host}:${ref:db.port}/shop",
                "hosts:",
                "  db: ${ref:hosts.primary}",
                "  primary: db1.${ref:domain}",
                "domain: example.net",
                "port: ${ref:db.port}",
                "copy: ${ref:db}",
                "first: ${ref:list.0}",
                "list: ['${env.HOME_DIR}', b]");

        assertThat(definition.get("db.url")).contains("jdbc:postgresql://db1.example.net:5432/shop");
        assertThat(definition.get("port")).contains(5432);
        assertThat(definition.get("copy"))
                .contains(Map.of(
                        "host", "db1.example.net", "port", 5432, "url", "jdbc:postgresql://db1.example.net:5432/shop"));
        assertThat(definition.get("first")).contains("/home/shop");
    }

    @Test
    void referencesWalkThroughValuesThatAreReferences() throws IOException {
        assertResolved(Map.of("host", "h"), "alias: ${ref:real}", "real: {host: h}", "host: ${ref:alias.host}");
    }

    @Test
    void interpolatedLiteralsAreNotInterpolatedTwice() throws IOException {
        assertResolved(
                Map.of("b", "${env.NOPE}", "c", "${literal}"),
                "a: $${env.NOPE}",
                "b: ${ref:a}",
                "c: ${ref:x.a}",
                "x: ${ref:wrap}",
                "wrap: {a: '$${literal}'}");
    }

    @Test
    void fallbacksMayHoldReferences() throws IOException {
        assertResolved(
                Map.of("a", "/home/shop/x", "b", "/home/shop/x"),
                "a: ${env.NOPE:-${env.HOME_DIR}/x}",
                "b: ${env.NOPE:-${ref:a}}");
    }

    @Test
    void unknownReferenceNamesFileLineAndKeyPath() throws IOException {
        resolvingProdFails("db:", "  host: db1", "  url: jdbc://${ref:db.hots}/x")
                .hasMessage(prodFile() + ":3:8: db.url: unknown reference ${ref:db.hots}");
    }

    @Test
    void referenceCycleIsAnErrorNamingTheChain() throws IOException {
        resolvingProdFails("a: ${ref:b}", "b: x${ref:c}", "c: ${ref:a}")
                .hasMessage(prodFile() + ":1:4: a: reference cycle a -> b -> c -> a");
    }

    @Test
    void referenceToAnEnclosingMapIsACycle() throws IOException {
        resolvingProdFails("db: {self: '${ref:db}'}").hasMessageContaining("reference cycle db -> db.self -> db");
    }

    @Test
    void unknownReferenceKindListsTheKnownOnes() throws IOException {
        resolvingProdFails("a: ${version}")
                .hasMessageStartingWith(prodFile() + ":1:4: a: unknown reference ${version}; use env.NAME");
    }

    @Test
    void aMapCannotBePartOfText() throws IOException {
        resolvingProdFails("db: {host: h}", "url: x${ref:db}").hasMessageContaining("url: ${ref:db} is a map");
    }

    @Test
    void unterminatedReferenceIsAnError() throws IOException {
        resolvingProdFails("a: ${env.HOME_DIR").hasMessageContaining("a: unterminated ${");
    }

    @Test
    void stateMayBeInterpolated() throws IOException {
        prod("state: ${instance}-shared");

        assertThat(resolve("prod").stateName()).isEqualTo("prod-shared");
    }

    @Test
    void historyKeepsRawValuesAndOriginsSurviveInterpolation() throws IOException {
        Path file = prod("a: ${instance}");

        Definition definition = resolve("prod");

        assertThat(definition.get("a")).contains("prod");
        assertThat(definition.history("a"))
                .extracting(Definition.Contribution::value)
                .containsExactly("${instance}");
        assertThat(definition.origin("a")).contains(new Origin(file, 1, 4));
    }
}

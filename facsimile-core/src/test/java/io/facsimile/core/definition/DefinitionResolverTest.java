package io.facsimile.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.Definition.Contribution;
import io.facsimile.core.definition.Definition.Layer;
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

class DefinitionResolverTest {

    @TempDir
    Path basedir;

    Path defs;
    Path shared;

    @BeforeEach
    void directories() throws IOException {
        defs = Files.createDirectories(basedir.resolve("src/main/facsimile"));
        shared = Files.createDirectories(basedir.resolve("shared"));
    }

    private Path write(Path directory, String name, String... lines) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Asserts that resolving {@code instance} fails with a definition error; the caller checks its message. */
    private AbstractThrowableAssert<?, ? extends Throwable> resolvingFails(String instance) {
        return assertThatThrownBy(() -> resolver().resolve(instance)).isInstanceOf(DefinitionException.class);
    }

    private DefinitionResolver resolver() {
        ProjectContext project = new ProjectContext(
                basedir, basedir.resolve("target"), "io.example", "shop", "1.2.3", "shop", Map.of(), Map.of());
        return new DefinitionResolver(DefinitionSources.locate(basedir, null, List.of(Path.of("shared"))), project);
    }

    /** Layers in the definitions directory that only set {@code a: 1}. */
    private void trivialLayers(String... names) throws IOException {
        for (String name : names) {
            write(defs, name + ".yaml", "a: 1");
        }
    }

    /** Resolves {@code instance}, checks the layers it is made of, in order, and the value of {@code who}. */
    private Definition assertWhoWins(String instance, String who, String... layers) {
        Definition definition = resolver().resolve(instance);
        assertThat(layerNames(definition)).containsExactly(layers);
        assertThat(definition.get("who")).contains(who);
        return definition;
    }

    private static List<String> layerNames(Definition definition) {
        return definition.layers().stream().map(Layer::name).toList();
    }

    @Test
    void layersApplyInOrderBaseProjectSegmentsThenExactInstance() throws IOException {
        write(defs, "facsimile.yaml", "who: facsimile", "base: true");
        write(defs, "shop.yaml", "who: shop");
        write(defs, "dev.yaml", "who: dev");
        write(defs, "dev0.json", "{\"who\": \"dev0\"}");
        write(defs, "dev.dev0.toml", "who = \"exact\"");

        Definition definition = assertWhoWins("dev.dev0", "exact", "facsimile", "shop", "dev", "dev0", "dev.dev0");
        assertThat(definition.get("base")).contains(true);
        assertThat(definition.history("who"))
                .extracting(Contribution::value)
                .containsExactly("facsimile", "shop", "dev", "dev0", "exact");
    }

    @Test
    void withoutExactFileTheLastSegmentWins() throws IOException {
        write(defs, "dev.yaml", "who: dev");
        write(defs, "dev0.yaml", "who: dev0");

        assertWhoWins("dev.dev0", "dev0", "dev", "dev0");
    }

    @Test
    void singleSegmentInstanceLoadsItsLayerOnce() throws IOException {
        write(defs, "facsimile.yaml", "a: 1");
        write(defs, "prod.yaml", "a: 2");

        Definition definition = resolver().resolve("prod");

        assertThat(layerNames(definition)).containsExactly("facsimile", "prod");
        assertThat(definition.instance()).isEqualTo("prod");
    }

    @Test
    void sharedDirectoriesHaveLowerPrecedence() throws IOException {
        write(shared, "eu1.yaml", "region: {name: eu1, dns: shared-dns}");
        write(defs, "eu1.yaml", "region: {dns: project-dns}");
        write(defs, "prod.yaml", "x: 1");

        Definition definition = resolver().resolve("prod.eu1");

        assertThat(definition.layers())
                .extracting(Layer::file)
                .containsExactly(defs.resolve("prod.yaml"), shared.resolve("eu1.yaml"), defs.resolve("eu1.yaml"));
        assertThat(definition.get("region")).contains(Map.of("name", "eu1", "dns", "project-dns"));
    }

    @Test
    void legacyDirectoryIsUsedWhenTheDefaultIsMissing() throws IOException {
        Files.delete(defs);
        Path legacy = Files.createDirectories(basedir.resolve("config/facsimile"));

        assertThat(DefinitionSources.locate(basedir, null, null)).isEqualTo(new DefinitionSources(legacy, List.of()));
        assertThat(DefinitionSources.locate(basedir, Path.of("defs"), List.of(Path.of("/abs"))))
                .isEqualTo(new DefinitionSources(basedir.resolve("defs"), List.of(Path.of("/abs"))));
    }

    @Test
    void defaultDirectoryWinsWhenBothExist() throws IOException {
        Files.createDirectories(basedir.resolve("config/facsimile"));

        assertThat(DefinitionSources.locate(basedir, null, List.of()).directory())
                .isEqualTo(defs);
        assertThat(DefinitionSources.locate(basedir, null, List.of()).searchOrder())
                .containsExactly(defs);
    }

    @Test
    void inheritLoadsDepthFirstBeforeTheLayerAndEachFileOnce() throws IOException {
        write(defs, "common.yaml", "who: common", "common: true");
        write(defs, "db.yaml", "inherit: common", "who: db");
        write(defs, "eu.yaml", "inherit: [common]", "who: eu");
        write(defs, "prod.yaml", "inherit: [db, eu]", "who: prod");

        Definition definition = assertWhoWins("prod", "prod", "common", "db", "eu", "prod");
        assertThat(definition.get("inherit")).isEmpty();
        assertThat(definition.tree()).containsOnlyKeys("who", "common");
    }

    @Test
    void aLayerAlreadyInheritedIsNotAppliedAgainInItsOwnSlot() throws IOException {
        write(shared, "eu1.yaml", "who: eu1");
        write(defs, "prod.yaml", "inherit: eu1", "who: prod");

        assertWhoWins("prod.eu1", "prod", "eu1", "prod");
    }

    @Test
    void inheritCycleIsAnErrorPrintingTheCycle() throws IOException {
        write(defs, "a.yaml", "inherit: b");
        write(defs, "b.yaml", "inherit: [c]");
        write(defs, "c.yaml", "inherit: [a]");

        resolvingFails("a").hasMessageContaining("inherit cycle a.yaml -> b.yaml -> c.yaml -> a.yaml");
    }

    @Test
    void inheritOfAMissingLayerNamesTheFileAndLine() throws IOException {
        Path prod = write(defs, "prod.yaml", "x: 1", "inherit: [nope]");

        resolvingFails("prod").hasMessageStartingWith(prod + ":2:").hasMessageContaining("no layer named 'nope'");
    }

    @Test
    void inheritMustNameLayers() throws IOException {
        Path prod = write(defs, "prod.yaml", "inherit: [../etc/passwd]");

        resolvingFails("prod").hasMessageStartingWith(prod + ":1:11: inherit must name layers");
    }

    @Test
    void aLayerInTwoFormatsIsAnErrorNamingBothFiles() throws IOException {
        write(defs, "prod.yaml", "a: 1");
        write(defs, "prod.json", "{\"a\": 1}");

        resolvingFails("prod").hasMessageContaining("prod.json").hasMessageContaining("prod.yaml");
    }

    @Test
    void theSameLayerInSharedAndProjectDirectoryIsNotAConflict() throws IOException {
        write(shared, "prod.json", "{\"a\": 1}");
        write(defs, "prod.yaml", "b: 2");

        assertThat(resolver().resolve("prod").tree()).isEqualTo(Map.of("a", 1, "b", 2));
    }

    @Test
    void explicitNullRemovesAKey() throws IOException {
        write(defs, "facsimile.yaml", "db: {host: a, port: 1}", "debug: true");
        write(defs, "prod.yaml", "db: {port: null}", "debug: ~");

        Definition definition = resolver().resolve("prod");

        assertThat(definition.tree()).isEqualTo(Map.of("db", Map.of("host", "a")));
        assertThat(definition.origin("db.port")).isEmpty();
        assertThat(definition.history("db.port"))
                .extracting(Contribution::value)
                .containsExactly(1, null);
    }

    @Test
    void listsAndScalarsReplaceMapsMerge() throws IOException {
        write(defs, "facsimile.yaml", "nodes: [a, b, c]", "db: {host: a, opts: {x: 1}}", "mode: {deep: 1}");
        write(defs, "prod.yaml", "nodes: [z]", "db: {opts: {y: 2}}", "mode: flat");

        Definition definition = resolver().resolve("prod");

        assertThat(definition.get("nodes")).contains(List.of("z"));
        assertThat(definition.get("db")).contains(Map.of("host", "a", "opts", Map.of("x", 1, "y", 2)));
        assertThat(definition.get("mode")).contains("flat");
        assertThat(definition.get("nodes.0")).contains("z");
        assertThat(definition.get("nodes.1")).isEmpty();
    }

    @Test
    void originsPointAtTheWinningLine() throws IOException {
        Path base = write(defs, "facsimile.yaml", "db:", "  host: a", "  port: 5432");
        Path prod = write(defs, "prod.yaml", "# prod", "db:", "  host: prod-db");

        Definition definition = resolver().resolve("prod");

        assertThat(definition.origin("db.host")).contains(new Origin(prod, 3, 9));
        assertThat(definition.origin("db.port")).contains(new Origin(base, 3, 9));
        assertThat(definition.origin("db.nope")).isEmpty();
        assertThat(definition.history("db.host"))
                .containsExactly(
                        new Contribution(new Origin(base, 2, 9), "a"),
                        new Contribution(new Origin(prod, 3, 9), "prod-db"));
    }

    @Test
    void unknownInstanceListsTheInstancesThatExist() throws IOException {
        trivialLayers("facsimile", "shop", "prod", "dev");

        resolvingFails("staging")
                .hasMessage("unknown instance 'staging': no layer file for it or its segments; instances: dev, prod");
    }

    @Test
    void anInstanceWithOnlyBaseAndProjectLayersIsUnknown() throws IOException {
        trivialLayers("facsimile", "shop");

        resolvingFails("shop")
                .hasMessageContaining("unknown instance 'shop'")
                .hasMessageContaining("no instances are defined");
    }

    @Test
    void instancesSkipBaseProjectModulesRegionsAndInheritedBuildingBlocks() throws IOException {
        trivialLayers("facsimile", "shop", "common-db", "prod.eu1", "eu1");
        write(defs, "modules.yaml", "- name: api");
        write(defs, "prod.yaml", "inherit: common-db");
        write(defs, "staging.yaml", "inherit: prod");
        write(shared, "dev.yml", "a: 1");
        write(defs, "notes.txt", "not a layer");

        assertThat(resolver().instances()).containsExactly("dev", "prod", "prod.eu1", "staging");
    }

    @Test
    void instanceNamesAreValidated() {
        resolvingFails("../prod").hasMessageContaining("invalid instance name '../prod'");
        resolvingFails("prod..eu1").hasMessageContaining("invalid instance name");
        resolvingFails("modules").hasMessageContaining("reserved");
    }

    @Test
    void missingDirectoriesAreClearErrors() throws IOException {
        Files.delete(shared);

        resolvingFails("prod").hasMessageContaining("shared definitions directory " + shared + " does not exist");
    }

    @Test
    void aLayerMustBeAMap() throws IOException {
        Path prod = write(defs, "prod.yaml", "- a", "- b");

        resolvingFails("prod").hasMessageStartingWith(prod + ":1:1: a layer must be a map");
    }

    @Test
    void nullListElementsAreRejected() throws IOException {
        Path prod = write(defs, "prod.yaml", "cmds:", "  - a", "  - null");

        resolvingFails("prod").hasMessageStartingWith(prod + ":3:5: cmds.1: a list element cannot be null");
    }

    @Test
    void stateNameIsTheStateKeyOrTheInstance() throws IOException {
        write(defs, "dev.yaml", "state: dev");
        write(defs, "prod.yaml", "a: 1");
        write(defs, "bad.yaml", "state: ../x");

        assertThat(resolver().resolve("dev.dev0").stateName()).isEqualTo("dev");
        assertThat(resolver().resolve("prod").stateName()).isEqualTo("prod");
        resolvingFails("bad").hasMessageContaining("bad.yaml:1:8: state must be a state name");
    }

    @Test
    void modulesDocumentIsReadFromTheDefinitionsDirectory() throws IOException {
        assertThat(resolver().modules()).isEmpty();

        Path modules = write(defs, "modules.yml", "- name: api", "  daemon: apid");

        assertThat(resolver().modules()).hasValueSatisfying(document -> {
            assertThat(document.file()).isEqualTo(modules);
            assertThat(document.root()).isEqualTo(List.of(Map.of("name", "api", "daemon", "apid")));
        });

        write(defs, "modules.json", "[]");
        assertThatThrownBy(() -> resolver().modules())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("modules.json and modules.yml");
    }

    @Test
    void theDefinitionIsDeeplyUnmodifiable() throws IOException {
        write(defs, "prod.yaml", "db: {hosts: [a]}", "x: 1");

        Definition definition = resolver().resolve("prod");

        assertThatThrownBy(() -> definition.tree().put("y", 2)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> db = (Map<String, Object>) definition.tree().get("db");
        assertThatThrownBy(() -> db.put("y", 2)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> hosts = (List<Object>) db.get("hosts");
        assertThatThrownBy(() -> hosts.add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> definition.layers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}

package io.facsimile.core.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionResolver;
import io.facsimile.core.definition.DefinitionSources;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original tool's module rules, on real definition files and a real state. */
class ModuleResolverTest {

    @TempDir
    Path project;

    private Path definitions;

    private void write(String name, String content) throws IOException {
        definitions = project.resolve("src/main/facsimile");
        Files.createDirectories(definitions);
        Files.writeString(definitions.resolve(name), content, StandardCharsets.UTF_8);
    }

    private DefinitionResolver resolver() {
        ProjectContext context =
                ProjectContext.of(project, "com.example", "shop", "1.0").withEnvironment(Map.of());
        return new DefinitionResolver(DefinitionSources.locate(project, null, List.of()), context);
    }

    private Modules resolve(String instance) {
        DefinitionResolver resolver = resolver();
        Definition definition = resolver.resolve(instance);
        try (StateSession state = new StateStore(project.resolve("state")).open(definition.stateName())) {
            Modules modules = new ModuleResolver(definition, state)
                    .resolve(resolver.modules().orElse(null));
            state.commit();
            return modules;
        }
    }

    private static Module module(Modules modules, String key) {
        return modules.all().stream()
                .filter(m -> m.key().equals(key))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void keyIsDaemonElseNameAndUsernameIsTheKey() throws IOException {
        write("dev.yaml", "a: 1\n");
        write("modules.yaml", """
                - name: shop
                - name: backend
                  daemon: api
                """);
        Modules modules = resolve("dev");
        assertThat(modules.all()).extracting(Module::key).containsExactly("shop", "api");
        assertThat(modules.all()).extracting(Module::username).containsExactly("shop", "api");
        assertThat(module(modules, "api").fields()).containsEntry("name", "backend");
    }

    @Test
    void serviceWithoutANameIsCalledKeyD() throws IOException {
        write("dev.yaml", "a: 1\n");
        write("modules.yaml", """
                - name: api
                  service: {port: 9000}
                - name: db
                  service: {name: postgres}
                """);
        Modules modules = resolve("dev");
        assertThat(module(modules, "api").fields())
                .extracting("service")
                .isEqualTo(Map.of("port", 9000, "name", "apid"));
        assertThat(module(modules, "db").fields()).extracting("service").isEqualTo(Map.of("name", "postgres"));
    }

    @Test
    void definitionOverlaysServiceConfigAndModule() throws IOException {
        write("prod.yaml", """
                service:
                  api: {port: 9443}
                config:
                  api: {threads: 16}
                modules:
                  api:
                    genconfig: false
                    freeform: {extra: true}
                """);
        write("modules.yaml", """
                - name: api
                  genconfig: true
                  freeform: {threads: 4, queue: orders}
                  service: {port: 9000, protocol: http}
                """);
        Module api = module(resolve("prod"), "api");
        assertThat(api.fields().get("service")).isEqualTo(Map.of("port", 9443, "protocol", "http", "name", "apid"));
        assertThat(api.fields().get("freeform")).isEqualTo(Map.of("threads", 16, "queue", "orders", "extra", true));
        assertThat(api.genconfig()).isFalse();
    }

    @Test
    void passwordComesFromTheStateAndStaysTheSame() throws IOException {
        write("dev.yaml", "a: 1\n");
        write("modules.yaml", """
                - name: shop
                - name: reporting
                  password: uuid
                """);
        Modules first = resolve("dev");
        Modules second = resolve("dev");
        assertThat(module(first, "shop").password().reveal()).matches("[A-Za-z0-9]{32}");
        assertThat(module(first, "reporting").password().reveal()).matches("[0-9a-f-]{36}");
        assertThat(module(second, "shop").password())
                .isEqualTo(module(first, "shop").password());
        assertThat(module(second, "reporting").password())
                .isEqualTo(module(first, "reporting").password());
        assertThat(module(first, "shop").fields()).doesNotContainKey("password");
        assertThat(module(first, "shop").toMap(false))
                .containsEntry("password", module(first, "shop").password().reveal());
        assertThat(module(first, "shop").toMap(true)).containsEntry("password", Module.MASK);
    }

    @Test
    void nInstancesGivesClonesWithDistinctStableUiids() throws IOException {
        write("prod.yaml", "modules:\n  api:\n    service:\n      n_instances: 3\n");
        write("modules.yaml", """
                - name: api
                  logical_name: api
                  service: {port: 9000}
                """);
        Module api = module(resolve("prod"), "api");
        assertThat(api.instances())
                .extracting(ServiceInstance::instanceName)
                .containsExactly("apid.0", "apid.1", "apid.2");
        assertThat(api.instances())
                .extracting(ServiceInstance::configName)
                .containsExactly("apid.0", "apid.1", "apid.2");
        assertThat(api.instances())
                .extracting(ServiceInstance::uiid)
                .doesNotHaveDuplicates()
                .allMatch(u -> u >= 1 && u <= 255);
        assertThat(api.toMap(false).get("instances")).asList().hasSize(3);

        Module again = module(resolve("prod"), "api");
        assertThat(again.instances()).isEqualTo(api.instances());
    }

    @Test
    void aSingleServiceInstanceHasNoConfigName() throws IOException {
        write("dev.yaml", "a: 1\n");
        write(
                "modules.yaml",
                "- {name: api, logical_name: api, service: {port: 1}}\n- {name: web, service: {port: 2}}\n");
        Modules modules = resolve("dev");
        assertThat(module(modules, "api").instances()).singleElement().satisfies(i -> {
            assertThat(i.instanceName()).isEqualTo("apid.0");
            assertThat(i.configName()).isNull();
        });
        assertThat(module(modules, "web").instances())
                .as("no logical_name, no service instances")
                .isEmpty();
        assertThat(modules.serviceInstances()).hasSize(1);
    }

    @Test
    void instancesSharingAStateShareThePasswords() throws IOException {
        write("dev.yaml", "state: dev\n");
        write("dev0.yaml", "a: 0\n");
        write("dev4.yaml", "a: 4\n");
        write("modules.yaml", "- name: shop\n- {name: api, logical_name: api, service: {port: 1}}\n");
        Modules dev0 = resolve("dev.dev0");
        Modules dev4 = resolve("dev.dev4");
        assertThat(module(dev4, "shop").password())
                .isEqualTo(module(dev0, "shop").password());
        assertThat(module(dev4, "api").instances())
                .isEqualTo(module(dev0, "api").instances());
        assertThat(project.resolve("state/dev/state.json")).exists();
        assertThat(project.resolve("state/dev.dev0")).doesNotExist();
    }

    @Test
    void duplicateKeysAndMissingNamesAreErrorsNamingTheFile() throws IOException {
        write("dev.yaml", "a: 1\n");
        write("modules.yaml", "- name: shop\n- name: shop\n");
        assertThatThrownBy(() -> resolve("dev"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("modules.yaml:2")
                .hasMessageContaining("\"shop\" is used twice");

        write("modules.yaml", "- name: shop\n- daemon: \n  freeform: {}\n");
        assertThatThrownBy(() -> resolve("dev"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("modules.yaml:2")
                .hasMessageContaining("has no name");
    }

    @Test
    void badNInstancesIsAnErrorNamingTheKey() throws IOException {
        write("dev.yaml", "modules:\n  api:\n    service:\n      n_instances: many\n");
        write("modules.yaml", "- {name: api, logical_name: api, service: {port: 1}}\n");
        assertThatThrownBy(() -> resolve("dev"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("modules.api.service.n_instances")
                .hasMessageContaining("many");
    }

    @Test
    void noModulesFileMeansNoModules() throws IOException {
        write("dev.yaml", "a: 1\n");
        assertThat(resolve("dev").all()).isEmpty();
    }
}

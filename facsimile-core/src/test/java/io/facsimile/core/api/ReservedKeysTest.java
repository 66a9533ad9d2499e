package io.facsimile.core.api;

import static io.facsimile.core.testing.NoArtifacts.NO_ARTIFACTS;
import static io.facsimile.core.testing.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import io.facsimile.core.testing.RecordingReporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What validate accepts every goal accepts, and the reverse (issue 18.2). */
class ReservedKeysTest {

    @TempDir
    Path basedir;

    @BeforeEach
    void project() {
        write(basedir, "src/main/facsimile/facsimile.yaml", "app: {port: 8080}");
        write(basedir, "src/main/facsimile/tmpl/_ALL_/_DEPLOY_/etc/app.conf", "port=$instance.app.port");
    }

    private Facsimile facsimile() {
        return io.facsimile.core.testing.ShopProject.facade(basedir, new RecordingReporter());
    }

    private List<String> validate() {
        return facsimile().validate(List.of("prod"), NO_ARTIFACTS).errors();
    }

    @Test
    void maxDeleteIsAcceptedByValidateAsDeployUsesIt() {
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: live, strategy: sync, maxDelete: 50}");
        assertThat(validate()).isEmpty();
        assertThat(facsimile().render("prod", NO_ARTIFACTS)).exists();
    }

    @Test
    void destdirIsRefusedByValidateAndByEveryGoalWithTheSameMessage() {
        write(basedir, "src/main/facsimile/prod.yaml", "deploy:", "  home: live", "  destdir: /tmp/x");
        assertThat(validate()).singleElement().asString().contains("prod.yaml:3:12: deploy.destdir unknown key");
        // validate puts the instance first; the rest is the message every goal gives
        String message = validate().get(0).replaceFirst("^prod: ", "");
        assertThatThrownBy(() -> facsimile().render("prod", NO_ARTIFACTS)).hasMessageContaining(message);
        assertThatThrownBy(() -> facsimile().resolve("prod")).hasMessageContaining(message);
        assertThatThrownBy(() -> facsimile().describe("prod", false)).hasMessageContaining(message);
        assertThat(facsimile().list(List.of("prod")).errors())
                .singleElement()
                .asString()
                .contains(message);
    }

    @Test
    void anExcludeThatIsNoGlobIsRefusedByValidateNamingItsLineNotFirstAtTheNode() {
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "deploy:",
                "  home: live",
                "  strategy: sync",
                "  exclude: ['[unclosed']");
        assertThat(validate())
                .singleElement()
                .asString()
                .contains("prod.yaml:4:")
                .contains("deploy.exclude: \"[unclosed\" is not a glob pattern")
                .doesNotContain("\n");
    }

    @Test
    void aModeWrittenAsANumberIsOneErrorThatSaysHowToWriteIt() {
        write(basedir, "src/main/facsimile/prod.yaml", "install: {groups: [{type: tmpl, dir: tmpl, mode: 0640}]}");
        String hint = "write a mode as octal in quotes, such as \"0640\"";
        assertThat(validate())
                .singleElement()
                .asString()
                .contains("prod.yaml:1:", "install.groups.0.mode must be a string, found 416", hint);
        assertThatThrownBy(() -> facsimile().render("prod", NO_ARTIFACTS)).hasMessageContaining(hint);
        // a glob key holds dots; and a mistake elsewhere is still reported beside the schema's
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "install: {groups: [{type: tmpl, dir: tmpl, modes: {\"etc/app.conf\": 0640}}]}",
                "modules: {shop: {service: {n_instances: 999}}}");
        writeShopModule();
        assertThat(validate())
                .anyMatch(e -> e.contains("modes.etc/app.conf must be a string, found 416") && e.contains(hint))
                .anyMatch(e -> e.contains("n_instances must be a whole number from 1 to 255"));
    }

    /** A modules.yaml with one module, shop, running one service instance. */
    private void writeShopModule() {
        write(
                basedir,
                "src/main/facsimile/modules.yaml",
                "- name: shop",
                "  service: {n_instances: 1}",
                "  logical_name: shop");
    }

    @Test
    void aDeployErrorNamesTheInstanceAsRenderAndValidateDo() {
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: /srv/app, keep: 0}");
        DeployOptions options = new DeployOptions(java.util.Set.of(), false, null);
        assertThatThrownBy(() -> facsimile().deploy("prod", options, NO_ARTIFACTS))
                .hasMessageStartingWith("prod: ")
                .hasMessageContaining("deploy.keep must be at least 1");
        assertThatThrownBy(() -> facsimile().rollback("prod", options)).hasMessageStartingWith("prod: ");
        assertThatThrownBy(() -> facsimile().verify("prod", options)).hasMessageStartingWith("prod: ");
    }

    @Test
    void anOverlayOfAModuleThatDoesNotExistIsWarnedAboutNotSilentlyIgnored() {
        writeShopModule();
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "modules: {shpo: {genconfig: true}}",
                "service: {shoq: {n_instances: 3}}",
                "config: {shop: {a: 1}}");
        RecordingReporter reporter = new RecordingReporter();
        Facsimile facsimile = io.facsimile.core.testing.ShopProject.facade(basedir, reporter);

        assertThat(facsimile.validate(List.of("prod"), NO_ARTIFACTS).errors()).isEmpty();
        assertThat(reporter.warn)
                .anyMatch(w -> w.startsWith("prod: ")
                        && w.contains("prod.yaml:1:")
                        && w.contains("modules.shpo is merged over no module and is ignored (did you mean shop?)"))
                .anyMatch(w -> w.contains("service.shoq is merged over no module"))
                .noneMatch(w -> w.contains("config.shop"));
        reporter.warn.clear();
        facsimile.render("prod", NO_ARTIFACTS);
        assertThat(reporter.warn).anyMatch(w -> w.contains("modules.shpo is merged over no module"));
    }

    @Test
    void anSshInstanceWithoutHomeIsRefusedByValidateAsDeployRefusesIt() {
        write(basedir, "src/main/facsimile/prod.yaml", "deploy:", "  nodes: {web: [web1.example.net]}");
        assertThat(validate())
                .singleElement()
                .asString()
                .contains("prod.yaml")
                .contains("deploy.home is required when deploy.nodes is set");
    }

    @Test
    void aDeployErrorNamesFileLineAndColumnOfTheKey() {
        write(
                basedir,
                "src/main/facsimile/prod.yaml",
                "deploy:",
                "  home: /srv/app",
                "  nodes:",
                "    web: [web1.example.net:http]");
        assertThat(validate())
                .singleElement()
                .asString()
                .contains("prod.yaml:4:5: deploy.nodes.web: \"web1.example.net:http\" has a port that is not a number");
    }

    @Test
    void aWholeNumberFromAPropertyIsAcceptedAsDeployAcceptsIt() {
        write(basedir, "src/main/facsimile/prod.yaml", "deploy: {home: live, serial: '${prop.serial}'}");
        ProjectContext project = new ProjectContext(
                basedir,
                basedir.resolve("target"),
                "io.example",
                "shop",
                "1.0",
                "shop",
                Map.of("serial", "0"),
                Map.of());
        Facsimile facsimile = new Facsimile(FacsimileConfig.defaults(project), new RecordingReporter());
        assertThat(facsimile.validate(List.of("prod"), NO_ARTIFACTS).errors()).isEmpty();
        assertThat(facsimile.render("prod", NO_ARTIFACTS)).exists();
    }
}

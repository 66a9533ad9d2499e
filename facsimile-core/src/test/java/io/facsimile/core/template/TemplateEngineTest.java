package io.facsimile.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facsimile.core.ProjectContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {

    private static final String NAME = "tmpl/_ALL_/_DEPLOY_/etc/app.conf";

    private final TemplateEngine engine = new TemplateEngine();

    static RenderModel model(Map<String, Object> definition) {
        Map<String, Object> module = new LinkedHashMap<>();
        module.put("name", "api");
        module.put("username", "api");
        module.put("password", "s3cret");
        module.put("instances", List.of(Map.of("instance_name", "apid.0", "uiid", 1, "logical_name", "api")));
        return new RenderModel(
                definition,
                Map.of("api", module),
                List.of(Map.of("instance_name", "apid.0", "uiid", 1, "logical_name", "api")),
                new ProjectContext(
                        Path.of("/p"),
                        Path.of("/p/target"),
                        "org.example",
                        "shop",
                        "1.2.3",
                        "shop",
                        Map.of("java.version", "17"),
                        Map.of("SECRET_ENV", "x")),
                "prod.eu1",
                List.of("facsimile.yaml", "prod.yaml"),
                Path.of("/p/target/facsimile/prod.eu1"),
                new PropertyReads());
    }

    private static Map<String, Object> definition() {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("host", "db1");
        db.put("port", 5432);
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("db", db);
        definition.put("trap", "#set($x = 1)$x ${instance} $x.getClass() #parse('x')");
        return definition;
    }

    private String render(String source) {
        return engine.render(NAME, source, TemplateContext.of(model(definition())));
    }

    /** Asserts that rendering {@code source} fails with a template error; its message is checked by the caller. */
    private AbstractThrowableAssert<?, ? extends Throwable> renderFails(String source) {
        return assertThatThrownBy(() -> render(source)).isInstanceOf(TemplateException.class);
    }

    @Test
    void rendersTheContextOfSpec6() {
        String out = render("""
                $instance.db.host:$definition.db.port
                $module.api.username $services.get(0).instance_name
                $facs.name $facs.version $facs.instance $facs.layers $facs.deployDir
                $project.groupId:$project.artifactId:$project.version $project.properties.get('java.version')
                $esc.xml('<a>') $math.add(1, 2)
                """);
        assertThat(out).isEqualTo("""
                db1:5432
                api apid.0
                shop 1.2.3 prod.eu1 [facsimile.yaml, prod.yaml] %s
                org.example:shop:1.2.3 17
                &lt;a&gt; 3
                """.formatted(Path.of("/p/target/facsimile/prod.eu1/_DEPLOY_")));
    }

    @Test
    void undefinedReferenceNamesTemplateLineColumnAndReference() {
        renderFails("a\nb\nhost = $instance.db.hots\n")
                .hasMessage(NAME + ":3:8: undefined reference $instance.db.hots (did you mean host?)")
                .satisfies(
                        e -> assertThat(((TemplateException) e).isUserError()).isTrue());
        assertThatThrownBy(() -> render("x $nope")).hasMessageStartingWith(NAME + ":1:3: undefined reference $nope;");
        assertThatThrownBy(() -> render("\t$nope"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("undefined reference $nope");
        assertThatThrownBy(() -> render("\n  ${instance.missing.deeper}"))
                .hasMessage(NAME + ":2:22: undefined reference ${instance.missing.deeper}");
    }

    @Test
    void whatOneRenderingOfATemplateLookedUpIsLookedUpAgainForAnotherClassOrAMissingKey() {
        Map<String, Object> listAndHost = definition();
        listAndHost.put("v", List.of(1, 2));
        Map<String, Object> mapNoHost = definition();
        mapNoHost.put("v", Map.of("a", 1));
        mapNoHost.put("db", Map.of("port", 5432));
        Map<String, Object> mapAndHost = definition();
        mapAndHost.put("v", Map.of("a", 1));
        String source = "n=$instance.v.size() h=$instance.db.host";

        for (int i = 0; i < 2; i++) {
            assertThat(engine.render(NAME, source, TemplateContext.of(model(listAndHost))))
                    .isEqualTo("n=2 h=db1");
            assertThatThrownBy(() -> engine.render(NAME, source, TemplateContext.of(model(mapNoHost))))
                    .hasMessageStartingWith(NAME + ":1:24: undefined reference $instance.db.host (did you mean port?)");
            assertThat(engine.render(NAME, source, TemplateContext.of(model(mapAndHost))))
                    .isEqualTo("n=1 h=db1");
        }
    }

    @Test
    void aParsedTemplateIsReusedForOtherContextsAndParsedAgainWhenItsTextChanges() {
        Map<String, Object> other = definition();
        @SuppressWarnings("unchecked")
        Map<String, Object> db = (Map<String, Object>) other.get("db");
        db.put("host", "db2");
        TemplateContext first = TemplateContext.of(model(definition()));
        TemplateContext second = TemplateContext.of(model(other));
        String source = "host=$instance.db.host port=$instance.db.port #set($x = $instance.db.host)$x";

        assertThat(engine.render(NAME, source, first)).isEqualTo("host=db1 port=5432 db1");
        assertThat(engine.render(NAME, source, second)).isEqualTo("host=db2 port=5432 db2");
        assertThat(engine.render(NAME, source, first)).isEqualTo("host=db1 port=5432 db1");
        assertThat(engine.render(NAME, "changed $instance.db.host", second)).isEqualTo("changed db2");
        // a #set of one rendering is not seen by the next
        assertThatThrownBy(() -> engine.render(NAME, "$x", first))
                .hasMessageStartingWith(NAME + ":1:1: undefined reference $x;");
        // a cached tree still reports line and column, every time
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> engine.render(NAME, "a\n $nope", first))
                    .hasMessageStartingWith(NAME + ":2:2: undefined reference $nope;");
        }
    }

    @Test
    void threadsMergeTheSameParsedTemplatesWithTheirOwnContexts() throws Exception {
        String source = "host=$instance.db.host #set($n = $instance.db.port)#foreach($k in $instance.db.keySet())"
                + "$k,#end n=$n up=$instance.db.host.toUpperCase() $esc.xml('<&>')";
        String failing = "a\n $instance.db.nope";
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String host = "db" + t;
                Map<String, Object> definition = definition();
                @SuppressWarnings("unchecked")
                Map<String, Object> db = (Map<String, Object>) definition.get("db");
                db.put("host", host);
                db.put("port", 5000 + t);
                TemplateContext context = TemplateContext.of(model(definition));
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        // the same names every thread: one parsed tree each, shared
                        assertThat(engine.render(NAME, source, context))
                                .isEqualTo("host=" + host + " host,port, n="
                                        + (5000 + host.charAt(2) - '0') + " up="
                                        + host.toUpperCase(java.util.Locale.ROOT)
                                        + " &lt;&amp;&gt;");
                        assertThatThrownBy(() -> engine.render("failing.conf", failing, context))
                                .hasMessageStartingWith("failing.conf:2:2: ");
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void quietAndTestedReferencesStayAllowed() {
        assertThat(render("[$!instance.db.hots]#if($instance.db.hots)yes#end")).isEqualTo("[]");
    }

    @Test
    void syntaxErrorNamesLineAndColumn() {
        renderFails("ok\n#if($instance.db.host")
                .hasMessageStartingWith(NAME + ":2:")
                .hasMessageContaining("syntax error");
    }

    @Test
    void aFailureReturnsNoPartialOutput() {
        // the exception is the only result: there is no half-rendered text to write
        renderFails("first line\n$nope\n");
    }

    @Test
    void directiveLookingDataIsInsertedLiterally() {
        assertThat(render("$instance.trap")).isEqualTo("#set($x = 1)$x ${instance} $x.getClass() #parse('x')");
    }

    @Test
    void reflectionIsBlocked() {
        renderFails("$instance.getClass().forName(\"java.lang.Runtime\").getRuntime().exec('id')")
                .hasMessageStartingWith(NAME + ":1:")
                .hasMessageContaining("forName");
        renderFails("#set($c = $instance.getClass())$c.getClassLoader()");
        renderFails("$instance.db.port.getClass().getMethods()");
    }

    @Test
    void fileAndEvaluateDirectivesAreDisabled() {
        assertThatThrownBy(() -> render("\n#parse('/etc/passwd')"))
                .hasMessage(NAME + ":2:1: #parse is disabled: a template is rendered from its own text only");
        assertThatThrownBy(() -> render("#include('/etc/passwd')")).hasMessageContaining("#include is disabled");
        assertThatThrownBy(() -> render("#evaluate($instance.trap)")).hasMessageContaining("#evaluate is disabled");
    }

    @Test
    @io.facsimile.core.reliability.Case("input.disabled-directive-on-its-line")
    void aDisabledDirectiveOrAnUndefinedMacroOnALineOfItsOwnIsRefusedNotWrittenAsText() {
        // Velocity writes such a call, followed by a newline, out as text instead of failing
        assertThatThrownBy(() -> render("name=x\n#parse(\"facsimile.yaml\")\nnext\n"))
                .hasMessage(NAME + ":2:1: #parse is disabled: a template is rendered from its own text only");
        assertThatThrownBy(() -> render("a\n  #include('x')\n"))
                .hasMessageStartingWith(NAME + ":2:1: #include is disabled");
        assertThatThrownBy(() -> render("#evaluate('x')\n")).hasMessageContaining("#evaluate is disabled");
        assertThatThrownBy(() -> render("a\n#foo()\nb")).hasMessage(NAME + ":2:1: undefined macro #foo");
        // a tab before it counts as up to 8 columns in Velocity's positions
        assertThatThrownBy(() -> render("\t#parse(\"facsimile.yaml\")\n")).hasMessageContaining("#parse is disabled");
        assertThatThrownBy(() -> render("x\t\t#foo()\n")).hasMessageContaining("undefined macro #foo");
        // a block macro's call too, whose body and #end follow
        assertThatThrownBy(() -> render("a\n#@foo()x#end\nb")).hasMessage(NAME + ":2:1: undefined macro #foo");
        assertThat(render("#macro(greet)hi#end\n#greet()\n")).isEqualTo("hi");
        // comments of configuration files that look like directives without their parentheses stay text
        String comments = "#Include /etc/ssh/sshd_config.d/*.conf\n#ifdef X\n#comment here\n#include <x.h>\n";
        assertThat(render(comments)).isEqualTo(comments);
    }

    @Test
    @io.facsimile.core.reliability.Case("input.unbounded-values")
    void aTemplateThatRunsOutOfMemoryFailsNamingItselfInsteadOfEndingTheBuild() {
        // refused by the JDK at once, before any memory is taken (a #set doubling in a loop would take gigabytes)
        assertThatThrownBy(() -> render("$instance.db.host.repeat(2147483647)"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(NAME + ":")
                .hasMessageContaining("ran out of memory");
    }

    @Test
    void templatesCannotChangeTheDefinition() {
        assertThatThrownBy(() -> render("$instance.db.put('host', 'evil')")).hasMessageContaining("cannot be changed");
        RenderModel model = model(definition());
        engine.render(NAME, "#set($x = 'leak')", TemplateContext.of(model));
        assertThatThrownBy(() -> engine.render(NAME, "$x", TemplateContext.of(model)))
                .hasMessageContaining("undefined reference $x");
    }

    @Test
    void moduleContextHasModAndSvc() {
        RenderModel model = model(definition());
        Map<String, Object> svc = Map.of("instance_name", "apid.1", "config_name", "apid.1", "uiid", 2);
        String out = engine.render(
                "tmpl/_MODULE_/__config__.conf",
                "$mod.username/$mod.password $svc.config_name $svc.uiid",
                TemplateContext.forModule(model, "api", svc));
        assertThat(out).isEqualTo("api/s3cret apid.1 2");
        assertThatThrownBy(() -> engine.render("t", "$mod", TemplateContext.of(model)))
                .hasMessageContaining("undefined reference $mod");
        assertThatThrownBy(() -> engine.render("t", "$svc", TemplateContext.forModule(model, "api", null)))
                .hasMessageContaining("undefined reference $svc");
    }

    @Test
    void environmentIsNotExposed() {
        renderFails("$project.environment");
    }

    @Test
    void renderingIsDeterministic() {
        String template = "$fmt.json($instance) $fmt.properties($instance) $instance";
        assertThat(render(template)).isEqualTo(render(template));
    }

    @Test
    void unorderedMapsIterateInKeyOrder() {
        Map<String, Object> hashed = new java.util.HashMap<>();
        for (String key : List.of("zeta", "alpha", "mu", "beta", "omega", "kappa")) {
            hashed.put(key, key.length());
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("hashed", hashed);
        definition.put("ordered", ordered);
        String out = engine.render(
                NAME,
                "#foreach($k in $instance.hashed.keySet())$k #end| #foreach($k in $instance.ordered.keySet())$k #end",
                TemplateContext.of(model(definition)));
        assertThat(out).isEqualTo("alpha beta kappa mu omega zeta | z a ");
    }

    @Test
    void foreachScopeStillWorks() {
        assertThat(render("#foreach($k in ['a', 'b'])$foreach.index:$k#if($foreach.hasNext),#end#end"))
                .isEqualTo("0:a,1:b");
    }

    @Test
    void restrictedPackagesBeyondVelocityDefaultsAreBlocked() {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("file", new java.io.File("/"));
        definition.put("path", Path.of("/"));
        TemplateContext context = TemplateContext.of(model(definition));
        assertThatThrownBy(() -> engine.render(NAME, "$instance.file.listFiles()", context))
                .isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> engine.render(NAME, "$instance.path.getFileSystem()", context))
                .isInstanceOf(TemplateException.class);
    }

    /** A bean with a getter, to set beside a map with the same key. */
    public static final class Named {
        public String getName() {
            return "from a getter";
        }
    }

    @Test
    void aPropertyIsLookedUpPerClassWhenRenderedAgain() {
        String source = "$instance.x.name";
        Map<String, Object> asMap = new LinkedHashMap<>();
        asMap.put("x", Map.of("name", "from a map"));
        Map<String, Object> asBean = new LinkedHashMap<>();
        asBean.put("x", new Named());
        for (int round = 0; round < 2; round++) {
            assertThat(engine.render(NAME, source, TemplateContext.of(model(asMap))))
                    .isEqualTo("from a map");
            assertThat(engine.render(NAME, source, TemplateContext.of(model(asBean))))
                    .isEqualTo("from a getter");
        }
        // a missing property stays an error on every rendering, not a remembered null
        Map<String, Object> without = new LinkedHashMap<>();
        without.put("x", Map.of("other", "v"));
        for (int round = 0; round < 2; round++) {
            assertThatThrownBy(() -> engine.render(NAME, source, TemplateContext.of(model(without))))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("name");
        }
    }

    @Test
    void aBlockedPropertyStaysBlockedWhenRenderedAgain() {
        for (int round = 0; round < 3; round++) {
            renderFails("$instance.trap.class.classLoader");
        }
    }
}

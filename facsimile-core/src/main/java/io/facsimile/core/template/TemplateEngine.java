package io.facsimile.core.template;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.TemplateInitException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;
import org.apache.velocity.runtime.parser.node.ASTDirective;
import org.apache.velocity.runtime.parser.node.Node;
import org.apache.velocity.runtime.parser.node.SimpleNode;
import org.apache.velocity.util.introspection.IntrospectionCacheData;
import org.slf4j.LoggerFactory;

/**
 * Renders Velocity 2 templates the way SPEC §6 promises: strict references, no reflection, no file
 * access, UTF-8, deterministic. Method calls go through {@link SandboxUberspector} (Velocity's
 * SecureUberspector plus restricted package trees).
 *
 * <p>Create one per run; it holds its own Velocity runtime and no static state, so parallel runs
 * (Maven {@code -T}) do not share anything. Within a run, a template is parsed once and its syntax
 * tree reused for every instance it is rendered for (parsing costs about as much as rendering); the
 * tree is parsed again when the template's text changes. One engine may be shared by the threads of a
 * run: a parsed tree is merged by several threads at once, as Velocity's own template cache serves it
 * (the state of a merge lives in its context). Templates are rendered from content the caller has
 * read: the engine never loads a template by name, and {@code #parse}, {@code #include} and
 * {@code #evaluate} are disabled (a template that uses them fails with its line and column). Data
 * from the definition is inserted as text and never evaluated again.
 */
public final class TemplateEngine {

    /**
     * Directives that would read other files or evaluate data as a template. Disabled so that what
     * a template outputs depends only on its own text and the context.
     */
    private static final List<String> DISABLED_DIRECTIVES = List.of("parse", "include", "evaluate");

    /**
     * Exact packages and classes no template may call into (Velocity's defaults and more);
     * {@link SandboxUberspector} adds whole package trees.
     */
    private static final String RESTRICTED_PACKAGES = String.join(
            ",",
            "java.lang.reflect",
            "java.lang.invoke",
            "java.io",
            "java.nio",
            "java.net",
            "java.security",
            "org.apache.velocity.runtime",
            "org.apache.velocity.app",
            "org.apache.velocity.util.introspection");

    private static final String RESTRICTED_CLASSES = String.join(
            ",",
            "java.lang.Class",
            "java.lang.ClassLoader",
            "java.lang.Compiler",
            "java.lang.InheritableThreadLocal",
            "java.lang.Package",
            "java.lang.Process",
            "java.lang.ProcessBuilder",
            "java.lang.ProcessHandle",
            "java.lang.Module",
            "java.lang.ModuleLayer",
            "java.lang.Runtime",
            "java.lang.RuntimePermission",
            "java.lang.SecurityManager",
            "java.lang.System",
            "java.lang.StackWalker",
            "java.lang.Thread",
            "java.lang.ThreadGroup",
            "java.lang.ThreadLocal");

    /** The application attribute under which {@link SandboxUberspector} finds the budget of the rendering. */
    static final String BUDGET_ATTRIBUTE = RenderBudget.class.getName();

    private final RuntimeInstance runtime = new RuntimeInstance();
    private final TemplateLimits limits;
    /** The budget of the rendering on each thread; a rendering runs on the thread that asked for it. */
    private final ThreadLocal<RenderBudget> budgets = new ThreadLocal<>();

    /** Parsed templates by name, with the text they were parsed from; bounded by the number of templates. */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    /**
     * @param introspection what Velocity found for each reference and method call of the template, by
     *     node and by method and argument classes: kept with the tree, so a rendering of the template for
     *     another file or instance does not look every reference up again (Velocity keeps it per context,
     *     which is one rendering)
     */
    private record Parsed(String source, Template template, Map<Object, IntrospectionCacheData> introspection) {}

    /** A new engine with its own Velocity runtime and the {@link TemplateLimits#DEFAULTS default limits}. */
    public TemplateEngine() {
        this(TemplateLimits.DEFAULTS);
    }

    /** A new engine with its own Velocity runtime and the given limits. */
    public TemplateEngine(TemplateLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        Properties config = new Properties();
        config.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        // \$name and \${NAME} are written as $name and ${NAME} whether or not the name is defined: shell
        // scripts, systemd units and nginx files keep their own variables (without this, strict mode
        // evaluates the escaped reference and fails on an undefined one)
        config.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT_ESCAPE, "true");
        config.setProperty(RuntimeConstants.UBERSPECT_CLASSNAME, SandboxUberspector.class.getName());
        config.setProperty(RuntimeConstants.INTROSPECTOR_RESTRICT_PACKAGES, RESTRICTED_PACKAGES);
        config.setProperty(RuntimeConstants.INTROSPECTOR_RESTRICT_CLASSES, RESTRICTED_CLASSES);
        config.setProperty(RuntimeConstants.INPUT_ENCODING, "UTF-8");
        // Velocity's default loader reads any file below the working directory; a string
        // repository private to this engine (never filled) means no template is found by name.
        config.setProperty(RuntimeConstants.RESOURCE_LOADERS, "string");
        config.setProperty(
                "resource.loader.string.class", "org.apache.velocity.runtime.resource.loader.StringResourceLoader");
        config.setProperty("resource.loader.string.repository.static", "false");
        runtime.setProperty(
                RuntimeConstants.RUNTIME_LOG_INSTANCE,
                VelocityLog.atDebug(LoggerFactory.getLogger(TemplateEngine.class)));
        runtime.setApplicationAttribute(BUDGET_ATTRIBUTE, budgets);
        runtime.init(config);
        DISABLED_DIRECTIVES.forEach(runtime::removeDirective);
    }

    /** The limits this engine renders with. */
    public TemplateLimits limits() {
        return limits;
    }

    /** The {@link System#nanoTime()} at which the templates of an instance starting now must be done. */
    public long deadline() {
        return limits.deadline();
    }

    /**
     * Renders one template with a deadline of its own; see {@link #render(String, String, TemplateContext, long)}.
     */
    public String render(String templateName, String source, TemplateContext context) {
        return render(templateName, source, context, deadline());
    }

    /**
     * Renders one template.
     *
     * @param templateName the template path relative to the definitions directory, used in errors
     * @param source the template text
     * @param context the variables the template sees; a template's {@code #set} does not leak into others
     * @param deadline the {@link #deadline()} of the instance the template is rendered for
     * @return the rendered text
     * @throws TemplateException when the template does not parse or does not render, runs past the
     *     deadline or writes more than the output limit; nothing is returned then
     */
    public String render(String templateName, String source, TemplateContext context, long deadline) {
        RenderBudget budget = new RenderBudget(templateName, limits, deadline);
        // a rendering is usually a little longer than its template: the references grow into values
        OutputBuffer out = new OutputBuffer(source.length() + source.length() / 2 + 16, budget);
        budgets.set(budget);
        try {
            Parsed template = template(templateName, source);
            template.template()
                    .merge(
                            new TemplateCachedContext(new HashMap<>(context.variables()), template.introspection()),
                            out);
        } catch (RuntimeException e) {
            throw translated(templateName, source, context, e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // a value grown without bound ($s.repeat(2147483647), a #set doubling in a loop) or a recursion
            // without end: what it built is unreachable once thrown, so the build can say which template did it
            throw new TemplateException(
                    templateName,
                    0,
                    0,
                    (e instanceof OutOfMemoryError ? "ran out of memory" : "recursed too deep")
                            + " while rendering: a value grew without bound (a repeat of millions, a #set that doubles"
                            + " in a loop) or a macro calls itself without end");
        } finally {
            budgets.remove();
        }
        return out.toString();
    }

    private static TemplateException translated(
            String templateName, String source, TemplateContext context, RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateException limit) {
                return limit; // a limit of the budget, however deep Velocity wrapped it
            }
        }
        if (e instanceof ParseErrorException parse) {
            return TemplateErrors.parse(templateName, parse);
        }
        if (e instanceof MethodInvocationException invocation) {
            return TemplateErrors.invocation(templateName, source, context, invocation);
        }
        if (e instanceof VelocityException velocity) {
            return TemplateErrors.other(templateName, source, context, velocity);
        }
        return TemplateErrors.unexpected(templateName, e);
    }

    /**
     * A context whose introspection cache is its template's, shared by every rendering of it. What a
     * node found is used only for an object of the class it was found for (Velocity checks the class on
     * every use), and it was found through the sandbox, so sharing it changes no result and no check.
     */
    private static final class TemplateCachedContext extends VelocityContext {

        private static final long serialVersionUID = 1L;

        private final transient Map<Object, IntrospectionCacheData> introspection;

        TemplateCachedContext(Map<String, Object> values, Map<Object, IntrospectionCacheData> introspection) {
            super(values);
            this.introspection = introspection;
        }

        @Override
        public IntrospectionCacheData icacheGet(Object key) {
            return introspection.get(key);
        }

        @Override
        public void icachePut(Object key, IntrospectionCacheData data) {
            if (key != null && data != null) {
                introspection.put(key, data);
            }
        }
    }

    /**
     * Refuses a call of a disabled directive ({@code #parse}) or of a macro nobody defined: Velocity writes
     * such a call out as text when a newline follows it, instead of failing as it does otherwise.
     */
    private void refuseUnknownDirectives(String templateName, String source, Node node, Template template) {
        if (node instanceof ASTDirective directive) {
            String name = directive.getDirectiveName();
            String what = DISABLED_DIRECTIVES.contains(name)
                    ? "#" + name + " is disabled: a template is rendered from its own text only"
                    : runtime.getDirective(name) == null && !runtime.isVelocimacro(name, template)
                            ? "undefined macro #" + name
                            : null;
            if (what != null && isCall(source, node, name)) {
                throw new TemplateException(templateName, node.getLine(), node.getColumn(), what);
            }
        }
        for (int i = 0; i < node.jjtGetNumChildren(); i++) {
            refuseUnknownDirectives(templateName, source, node.jjtGetChild(i), template);
        }
    }

    /**
     * Whether the directive {@code name} at {@code node} is written as a call, {@code #name(} or
     * {@code #{name}(}, or as a block macro's call, {@code #@name(}: without parentheses
     * ({@code #Include /etc/ssh/…}, {@code #include <x.h>}, comments of configuration files) it stays text, as
     * Velocity writes it.
     */
    private static boolean isCall(String source, Node node, String name) {
        String line = TemplateErrors.line(source, node.getLine());
        if (line == null) {
            return false;
        }
        int at = line.indexOf('#', TemplateErrors.index(line, node.getColumn()));
        return at >= 0
                && (line.startsWith("#" + name + "(", at)
                        || line.startsWith("#{" + name + "}(", at)
                        || line.startsWith("#@" + name + "(", at));
    }

    /**
     * The template parsed and initialized once (Velocity's init drops parser tokens, so a tree is
     * initialized only once). Two threads asking for a new template at once may both parse it; the
     * trees are the same and either is kept.
     */
    private Parsed template(String templateName, String source) {
        Parsed cached = parsed.get(templateName);
        if (cached != null && cached.source().equals(source)) {
            return cached;
        }
        Template template = new Template();
        template.setName(templateName);
        template.setRuntimeServices(runtime);
        try {
            SimpleNode tree = runtime.parse(new StringReader(source), template);
            template.setData(tree);
            template.initDocument();
            refuseUnknownDirectives(templateName, source, tree, template);
        } catch (ParseException e) {
            throw new ParseErrorException(e, null);
        } catch (TemplateInitException e) {
            throw new ParseErrorException(e, null);
        }
        Parsed fresh = new Parsed(source, template, new ConcurrentHashMap<>());
        parsed.put(templateName, fresh);
        return fresh;
    }
}

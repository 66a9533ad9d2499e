package io.facsimile.core.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The variables one template sees (SPEC §6):
 * <ul>
 *   <li>{@code $instance} and its alias {@code $definition}: the merged definition</li>
 *   <li>{@code $module}: module key → module; {@code $services}: every service instance</li>
 *   <li>{@code $facs}: {@code name}, {@code version}, {@code instance}, {@code layers},
 *       {@code releaseDir}, {@code deployDir}, {@code buildDir}, {@code srcDir} (paths as strings)</li>
 *   <li>{@code $project}: {@code groupId}, {@code artifactId}, {@code version}, {@code properties}</li>
 *   <li>{@code $esc} ({@link TemplateEscapeTool}: Velocity Tools EscapeTool plus {@code json}), {@code $math} ({@link TemplateMathTool}), {@code $fmt} ({@link FormatTool})</li>
 *   <li>only in {@code _MODULE_} templates: {@code $mod}, the module being rendered, and {@code $svc}, the
 *       service instance being rendered ({@code instance_name}, {@code uiid}, {@code logical_name},
 *       {@code config_name}) when the module has service instances. A module with one service instance is
 *       rendered once with {@code $svc} set to it; a module with none is rendered without {@code $svc}.</li>
 * </ul>
 *
 * @param variables variable name (without {@code $}) → value
 */
public record TemplateContext(Map<String, Object> variables) {

    public TemplateContext {
        variables = Map.copyOf(variables);
    }

    /** The context of a template rendered for the whole instance (every directory except {@code _MODULE_}). */
    public static TemplateContext of(RenderModel model) {
        Objects.requireNonNull(model, "model");
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("instance", model.definition());
        variables.put("definition", model.definition());
        variables.put("module", model.modules());
        variables.put("services", model.services());
        variables.put("facs", facs(model));
        variables.put("project", project(model));
        variables.put("esc", new TemplateEscapeTool());
        variables.put("math", new TemplateMathTool());
        variables.put("fmt", new FormatTool());
        return new TemplateContext(variables);
    }

    /**
     * The context of a {@code _MODULE_} template rendered for one module (and one of its service instances).
     *
     * @param moduleKey the key of a module of the model
     * @param serviceInstance the service instance rendered, or {@code null}
     */
    public static TemplateContext forModule(RenderModel model, String moduleKey, Map<String, Object> serviceInstance) {
        Map<String, Object> module = model.modules().get(moduleKey);
        if (module == null) {
            throw new IllegalArgumentException(
                    "no module " + moduleKey + " in " + model.modules().keySet());
        }
        Map<String, Object> variables = new LinkedHashMap<>(of(model).variables());
        variables.put("mod", module);
        if (serviceInstance != null) {
            variables.put("svc", FrozenData.copyMap(serviceInstance));
        }
        return new TemplateContext(variables);
    }

    private static Map<String, Object> facs(RenderModel model) {
        Map<String, Object> facs = new LinkedHashMap<>();
        facs.put("name", model.project().projectName());
        facs.put("version", model.project().version());
        facs.put("instance", model.instance());
        facs.put("layers", model.layers());
        facs.put("releaseDir", model.releaseDir().toString());
        facs.put("deployDir", model.deployDir().toString());
        facs.put("buildDir", model.project().buildDirectory().toString());
        facs.put("srcDir", model.project().basedir().toString());
        return FrozenData.copyMap(facs);
    }

    /** The project; its properties as a view that tells the model's {@link PropertyReads} what is read. */
    private static Map<String, Object> project(RenderModel model) {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("groupId", model.project().groupId());
        project.put("artifactId", model.project().artifactId());
        project.put("version", model.project().version());
        project.put("properties", model.propertyReads().view(model.project().properties()));
        return Collections.unmodifiableMap(project);
    }
}

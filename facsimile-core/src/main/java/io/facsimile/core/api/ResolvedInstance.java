package io.facsimile.core.api;

import io.facsimile.core.definition.Definition;
import io.facsimile.core.module.Modules;

/**
 * An instance with everything templates need: its merged definition and its modules, with the
 * passwords and uiids of its state.
 */
public record ResolvedInstance(Definition definition, Modules modules) {

    /** The instance name. */
    public String name() {
        return definition.instance();
    }

    /** One line for the log: layers, modules, service instances, state. No secrets. */
    public String summary() {
        int services = modules.serviceInstances().size();
        return definition.instance() + ": layers "
                + String.join(
                        ", ",
                        definition.layers().stream().map(Definition.Layer::name).toList())
                + "; " + count(modules.all().size(), "module") + ", " + count(services, "service instance")
                + "; state " + definition.stateName();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

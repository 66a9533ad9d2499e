package io.facsimile.core.module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every module of an instance, in the order of {@code modules.yaml}. */
public record Modules(List<Module> all) {

    public Modules {
        all = List.copyOf(all);
    }

    /** No modules. */
    public static Modules none() {
        return new Modules(List.of());
    }

    /** Every service instance of every module, module by module. */
    public List<ServiceInstance> serviceInstances() {
        return all.stream().flatMap(m -> m.instances().stream()).toList();
    }

    /** The modules as templates see them ({@code $module}): key → module map. */
    public Map<String, Map<String, Object>> toMap(boolean sealed) {
        Map<String, Map<String, Object>> map = new LinkedHashMap<>();
        all.forEach(m -> map.put(m.key(), m.toMap(sealed)));
        return map;
    }
}

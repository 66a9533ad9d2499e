package io.facsimile.core.module;

import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.TreeMerge;
import io.facsimile.core.definition.format.Document;
import io.facsimile.core.state.ServiceInstanceRecord;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code modules.yaml} into the modules of one instance, following the original tool's rules:
 * the key is {@code daemon} or else {@code name}; the username is the key; a {@code service} without
 * a name is called {@code <key>d}; {@code service.<key>} and {@code config.<key>} of the definition
 * are merged over the module's {@code service} and {@code freeform}; a module with a service and a
 * {@code logical_name} runs {@code service.n_instances} copies (default 1), each with a uiid from
 * the state; finally {@code modules.<key>} of the definition is merged over the whole module.
 */
public final class ModuleResolver {

    private final Definition definition;
    private final StateSession state;

    /**
     * @param definition the instance's definition, for the overlays
     * @param state the instance's state, for passwords and uiids (new ones are generated in it)
     */
    public ModuleResolver(Definition definition, StateSession state) {
        this.definition = definition;
        this.state = state;
    }

    /** The modules of {@code modulesFile}, or none when there is no modules file. */
    public Modules resolve(Document modulesFile) {
        if (modulesFile == null || modulesFile.root() == null) {
            return Modules.none();
        }
        if (!(modulesFile.root() instanceof List<?> entries)) {
            throw new ModuleException(modulesFile.origin(List.of())
                    + ": the modules file must be a list of modules, found " + describe(modulesFile.root()));
        }
        List<Module> modules = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Module module = resolveOne(modulesFile, i, entries.get(i));
            if (!keys.add(module.key())) {
                throw new ModuleException(modulesFile.origin(List.of(String.valueOf(i))) + ": module key \""
                        + module.key() + "\" is used twice; give each module a unique name (or daemon)");
            }
            modules.add(module);
        }
        return new Modules(modules);
    }

    private Module resolveOne(Document file, int index, Object entry) {
        String where = file.origin(List.of(String.valueOf(index))).toString();
        if (!(entry instanceof Map<?, ?> rawMap)) {
            throw new ModuleException(
                    where + ": module " + index + " must be a map with at least a name, found " + describe(entry));
        }
        Map<String, Object> module = asMap(rawMap);
        String name = stringField(module, "name", where, index);
        if (name == null) {
            throw new ModuleException(where + ": module " + index + " has no name; every module needs `name:`");
        }
        String daemon = stringField(module, "daemon", where, index);
        String key = daemon != null ? daemon : name;

        SecretPolicy policy =
                SecretPolicy.parse(module.remove("password"), where + ": modules[" + index + "].password");
        Secret password = state.password(key, policy);

        if (module.get("service") instanceof Map<?, ?> service) {
            Map<String, Object> merged = new LinkedHashMap<>(asMap(service));
            merged.putIfAbsent("name", key + "d");
            merged = TreeMerge.merge(merged, overlayAt("service", key));
            module.put("service", merged);
        } else if (module.containsKey("service")) {
            throw new ModuleException(
                    where + ": modules[" + index + "].service must be a map, found " + describe(module.get("service")));
        }
        Map<String, Object> freeform = module.get("freeform") instanceof Map<?, ?> f ? asMap(f) : new LinkedHashMap<>();
        module.put("freeform", TreeMerge.merge(freeform, overlayAt("config", key)));
        module = TreeMerge.merge(module, overlayAt("modules", key));
        module.remove("password"); // the secret policy is not a template value; the password is

        List<ServiceInstance> instances = serviceInstances(module, key, name, where);
        return new Module(key, key, password, module, instances);
    }

    private List<ServiceInstance> serviceInstances(Map<String, Object> module, String key, String name, String where) {
        Object logical = module.get("logical_name");
        if (!(module.get("service") instanceof Map<?, ?> service) || logical == null) {
            return List.of();
        }
        int count = nInstances(service.get("n_instances"), key, where);
        List<ServiceInstance> instances = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String instanceName = name + "d." + i;
            ServiceInstanceRecord record = state.serviceInstance(instanceName, logical.toString());
            instances.add(new ServiceInstance(
                    key, instanceName, logical.toString(), i, record.uiid(), count > 1 ? instanceName : null));
        }
        return instances;
    }

    private static int nInstances(Object value, String key, String where) {
        if (value == null) {
            return 1;
        }
        if (value instanceof Number n && n.intValue() >= 1 && n.intValue() <= 255 && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new ModuleException(where + ": modules." + key
                + ".service.n_instances must be a whole number from 1 to 255, found " + describe(value));
    }

    /** The map at {@code <top>.<key>} of the definition, or an empty map. */
    private Map<String, Object> overlayAt(String top, String key) {
        Object value = definition.tree().get(top) instanceof Map<?, ?> m ? m.get(key) : null;
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return asMap(map);
        }
        throw new ModuleException(
                definition.origin(top + "." + key).map(Object::toString).orElse(top) + ": " + top + "." + key
                        + " must be a map that is merged over module " + key + ", found " + describe(value));
    }

    private static String stringField(Map<String, Object> module, String field, String where, int index) {
        Object value = module.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new ModuleException(
                where + ": modules[" + index + "]." + field + " must be a non-empty string, found " + describe(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Map<?, ?> map) {
        return new LinkedHashMap<>((Map<String, Object>) map);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return (value instanceof String ? "a string " : "") + "\"" + value + "\"";
    }
}

package io.facsimile.core.module;

import io.facsimile.core.definition.Frozen;
import io.facsimile.core.state.secret.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolved module: its entry of {@code modules.yaml} with every overlay of the definition applied,
 * its username and its password from the state.
 *
 * @param key {@code daemon} if present, else {@code name}
 * @param username the key
 * @param password the state's password for the username
 * @param fields every other field after the overlays (name, service, freeform, genconfig, …)
 * @param instances the service instances it runs; empty for a module without a daemon
 */
public record Module(
        String key, String username, Secret password, Map<String, Object> fields, List<ServiceInstance> instances) {

    /** What state values look like in a sealed rendering. */
    public static final String MASK = "********";

    public Module {
        fields = Frozen.map(fields);
        instances = List.copyOf(instances);
    }

    /** {@code genconfig: true}: the module gets its own {@code _MODULE_} templates. */
    public boolean genconfig() {
        return Boolean.TRUE.equals(fields.get("genconfig"));
    }

    /**
     * The module as templates see it: its fields plus {@code key}, {@code username}, {@code password}
     * and {@code instances}. With {@code sealed}, the password reads {@link #MASK}.
     */
    public Map<String, Object> toMap(boolean sealed) {
        Map<String, Object> map = new LinkedHashMap<>(fields);
        map.put("key", key);
        map.put("username", username);
        map.put("password", sealed ? MASK : password.reveal());
        map.put("instances", instances.stream().map(ServiceInstance::toMap).toList());
        return map;
    }
}

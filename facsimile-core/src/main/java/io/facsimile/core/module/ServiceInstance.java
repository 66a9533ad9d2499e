package io.facsimile.core.module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One running copy of a module's daemon.
 *
 * @param moduleKey the key of the module it belongs to
 * @param instanceName {@code <name>d.<i>}, e.g. {@code apid.0}
 * @param logicalName the module's {@code logical_name}
 * @param index {@code i}, from 0
 * @param uiid the id kept in the state, 1..255, unique within the state
 * @param configName the name its configuration files take: the instance name when the module runs
 *     more than one copy, else {@code null}
 */
public record ServiceInstance(
        String moduleKey, String instanceName, String logicalName, int index, int uiid, String configName) {

    /** The fields templates see: {@code instance_name}, {@code logical_name}, {@code uiid}, {@code index}, {@code module} and, with several copies, {@code config_name}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("module", moduleKey);
        map.put("instance_name", instanceName);
        map.put("logical_name", logicalName);
        map.put("index", index);
        map.put("uiid", uiid);
        if (configName != null) {
            map.put("config_name", configName);
        }
        return map;
    }
}

package io.facsimile.core.describe;

import java.util.List;
import java.util.Map;

/**
 * The effective definition of an instance, as {@code describe} prints it. Holds no secret unless it
 * was made with secrets shown.
 *
 * @param instance the instance name
 * @param stateName the name of its state
 * @param stateFile the state file, relative to the project directory
 * @param layers its layers in the order they were applied
 * @param values every leaf of the definition, in tree order
 * @param modules module key → resolved module fields (username, password, service, freeform, instances…)
 * @param state the stored state: {@code passwd} (username → password) and {@code instances}
 *     (service instance → uiid and logical name)
 */
public record Description(
        String instance,
        String stateName,
        String stateFile,
        List<DescribedLayer> layers,
        List<DescribedValue> values,
        Map<String, Map<String, Object>> modules,
        Map<String, Object> state) {

    public Description {
        layers = List.copyOf(layers);
        values = List.copyOf(values);
    }
}

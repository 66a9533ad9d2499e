package io.facsimile.core.describe;

import java.util.List;

/**
 * What {@code list} prints: the instances that resolve, and one message per instance that does not.
 *
 * @param instances one row per instance that resolved, in the order asked for
 * @param errors one message per instance that did not resolve
 */
public record InstanceList(List<ListedInstance> instances, List<String> errors) {

    public InstanceList {
        instances = List.copyOf(instances);
        errors = List.copyOf(errors);
    }
}

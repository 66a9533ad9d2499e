package io.facsimile.core.describe;

import io.facsimile.core.definition.Definition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code list}: an instance, its layers and where it deploys.
 *
 * @param name the instance
 * @param layers its layer names, in the order they are applied
 * @param targets its deploy targets in definition order; one {@link DeployTarget#LOCAL} target
 *     when it has no {@code deploy.nodes}
 */
public record ListedInstance(String name, List<String> layers, List<DeployTarget> targets) {

    public ListedInstance {
        layers = List.copyOf(layers);
        targets = List.copyOf(targets);
    }

    /** The row of a resolved definition. A single host written as a string counts as a list of one. */
    public static ListedInstance of(Definition definition) {
        List<DeployTarget> targets = new ArrayList<>();
        if (definition.get("deploy.nodes").orElse(null) instanceof Map<?, ?> nodes && !nodes.isEmpty()) {
            nodes.forEach((target, hosts) -> targets.add(new DeployTarget((String) target, hosts(hosts))));
        } else {
            Object home = definition.get("deploy.home").orElse(null);
            targets.add(new DeployTarget(DeployTarget.LOCAL, home == null ? List.of() : List.of(home.toString())));
        }
        return new ListedInstance(
                definition.instance(),
                definition.layers().stream().map(Definition.Layer::name).toList(),
                targets);
    }

    private static List<String> hosts(Object hosts) {
        if (hosts instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return hosts == null ? List.of() : List.of(hosts.toString());
    }
}

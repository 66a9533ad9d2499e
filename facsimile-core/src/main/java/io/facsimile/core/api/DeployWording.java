package io.facsimile.core.api;

import io.facsimile.core.definition.Definition;
import java.util.Set;

/** Words of the deploy goals a person reads: how many targets, where a missing home may be. */
final class DeployWording {

    private DeployWording() {}

    /** {@code "1 target"}, {@code "3 targets"}: the targets of {@code deploy.nodes} that {@code chosen} keeps. */
    static String targets(Set<String> all, Set<String> chosen) {
        long count = chosen.isEmpty()
                ? all.size()
                : all.stream().filter(chosen::contains).count();
        return count + (count == 1 ? " target" : " targets");
    }

    /**
     * A hint for a missing {@code deploy.home} when the definition has a top-level {@code home}, as
     * projects of the original tool do; empty otherwise.
     */
    static String homeHint(Definition definition) {
        return definition
                .get("home")
                .map(home -> "; the top-level home: " + home
                        + definition.origin("home").map(o -> " (" + o + ")").orElse("")
                        + " is not read (the original tool's key): move it under deploy:, as"
                        + " deploy: {home: " + home + "}")
                .orElse("");
    }
}

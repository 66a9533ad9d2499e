package io.facsimile.core.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facsimile.core.state.secret.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of one {@code state.json}: passwords by username, service instances by instance name,
 * the passwords retired by prune or rotate (by username, oldest first), and the top-level keys this
 * version does not know, kept verbatim so that a newer tool's data
 * survives a run of an older one.
 */
record StateDocument(
        Map<String, Secret> passwords,
        Map<String, ServiceInstanceRecord> serviceInstances,
        ObjectNode unknown,
        Map<String, List<Secret>> retired) {

    StateDocument {
        passwords = Collections.unmodifiableMap(new TreeMap<>(passwords));
        serviceInstances = Collections.unmodifiableMap(new TreeMap<>(serviceInstances));
        unknown = unknown.deepCopy();
        Map<String, List<Secret>> copy = new TreeMap<>();
        retired.forEach((user, secrets) -> copy.put(user, List.copyOf(secrets)));
        retired = Collections.unmodifiableMap(copy);
    }

    /** A document without retired values. */
    StateDocument(
            Map<String, Secret> passwords, Map<String, ServiceInstanceRecord> serviceInstances, ObjectNode unknown) {
        this(passwords, serviceInstances, unknown, Map.of());
    }

    /** A state that has nothing yet. */
    static StateDocument empty() {
        return new StateDocument(Map.of(), Map.of(), StateCodec.emptyObject());
    }

    /** A copy of the unknown keys; the record's own copy is never handed out. */
    @Override
    public ObjectNode unknown() {
        return unknown.deepCopy();
    }

    @Override
    public String toString() {
        return "StateDocument[" + passwords.size() + " passwords, " + serviceInstances.size() + " service instances, "
                + retired.size() + " users with retired passwords, unknown keys " + unknownKeys() + "]";
    }

    private List<String> unknownKeys() {
        List<String> keys = new ArrayList<>();
        unknown.properties().forEach(property -> keys.add(property.getKey()));
        return keys;
    }
}

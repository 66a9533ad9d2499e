package io.facsimile.core.describe;

import io.facsimile.core.state.ServiceInstanceRecord;
import io.facsimile.core.state.secret.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a state file held before anything was generated for this run, so {@code describe} can tell
 * stored values from ones the next render would create.
 *
 * @param file the state file (it may not exist)
 * @param passwords username → password, as stored
 * @param serviceInstances service instance name → record, as stored
 * @param recipients who can open the state when it is encrypted; empty for a state in clear
 */
public record StoredState(
        Path file,
        Map<String, Secret> passwords,
        Map<String, ServiceInstanceRecord> serviceInstances,
        List<String> recipients) {

    public StoredState {
        passwords = Map.copyOf(passwords);
        serviceInstances = Map.copyOf(serviceInstances);
        recipients = List.copyOf(recipients);
    }

    /** A state in clear. */
    public StoredState(Path file, Map<String, Secret> passwords, Map<String, ServiceInstanceRecord> serviceInstances) {
        this(file, passwords, serviceInstances, List.of());
    }

    /** Who can read the state, for the description's state line. */
    String readers() {
        return recipients.isEmpty()
                ? ", in clear: whoever can read the file"
                : ", encrypted, readable by " + String.join(", ", recipients);
    }

    /** Sorted copies, for printing. */
    Map<String, Secret> sortedPasswords() {
        return new TreeMap<>(passwords);
    }

    Map<String, ServiceInstanceRecord> sortedServiceInstances() {
        return new TreeMap<>(serviceInstances);
    }
}

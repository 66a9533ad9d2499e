package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Errors as a person reads them when many instances are built: each names its instance, and one error
 * that many instances share (a layer every {@code prod.*} instance reads) is reported once, naming them
 * all, instead of once per instance.
 */
final class InstanceErrors {

    /** Message → the instances it was found for, in the order first found. */
    private final Map<String, List<String>> found = new LinkedHashMap<>();

    /** Records {@code message} for {@code instance}. */
    void add(String instance, String message) {
        List<String> instances = found.computeIfAbsent(message, m -> new ArrayList<>());
        if (!instances.contains(instance)) {
            instances.add(instance);
        }
    }

    /** Each message once, after the instances it was found for: {@code prod.eu1, prod.us1: prod.yaml:3:5: …}. */
    List<String> messages() {
        List<String> messages = new ArrayList<>();
        found.forEach((message, instances) -> messages.add(named(String.join(", ", instances), message)));
        return messages;
    }

    /** Runs the work of one instance; a failure that does not name the instance is made to. */
    static <T> T naming(String instance, Supplier<T> work) {
        try {
            return work.get();
        } catch (FacsimileException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(instance + ":")) {
                throw e;
            }
            throw new Named(instance, e);
        }
    }

    private static String named(String instances, String message) {
        return message.startsWith(instances + ":") ? message : instances + ": " + message;
    }

    /** A failure of one instance, its message prefixed with the instance; the cause is the original. */
    static final class Named extends FacsimileException {

        private static final long serialVersionUID = 1L;

        Named(String instance, FacsimileException cause) {
            super(instance + ": " + cause.getMessage(), cause, cause.kind());
        }
    }
}

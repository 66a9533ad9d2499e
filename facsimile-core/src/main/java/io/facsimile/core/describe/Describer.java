package io.facsimile.core.describe;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.Definition.Contribution;
import io.facsimile.core.definition.format.Origin;
import io.facsimile.core.module.Module;
import io.facsimile.core.module.Modules;
import io.facsimile.core.module.ServiceInstance;
import io.facsimile.core.state.ServiceInstanceRecord;
import io.facsimile.core.state.secret.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds the {@link Description} of an instance and the {@link Explanation} of one of its keys from a
 * resolved definition, its modules and its stored state. Pure: reads no file except the templates it
 * is given to scan.
 *
 * <p>Unless secrets are shown, every state value and every definition value under a key that names a
 * secret (see {@code SecretMask}) reads {@code ****}. A password the state does not hold yet reads
 * {@value #NOT_GENERATED} either way: the value a read-only run makes up is not the one the next
 * render will keep.
 */
public final class Describer {

    /** What a password reads that the state does not hold yet. */
    public static final String NOT_GENERATED = "(not generated yet)";

    private final Path basedir;
    private final boolean showSecrets;

    /**
     * @param basedir the project directory; files are printed relative to it
     * @param showSecrets {@code true} to print state values and secret-named values as they are
     */
    public Describer(Path basedir, boolean showSecrets) {
        this.basedir = basedir;
        this.showSecrets = showSecrets;
    }

    /** The effective definition of an instance, its modules and its state. */
    public Description describe(Definition definition, Modules modules, StoredState state) {
        List<DescribedValue> values = new ArrayList<>();
        leaves(definition, definition.tree(), new ArrayList<>(), values);
        return new Description(
                definition.instance(),
                definition.stateName(),
                Places.file(basedir, state.file()) + state.readers(),
                definition.layers().stream()
                        .map(l -> new DescribedLayer(l.name(), Places.file(basedir, l.file())))
                        .toList(),
                values,
                modules(modules, state),
                state(state));
    }

    /**
     * Explains one key: its value, where it was set, what it shadowed, and which lines of
     * {@code templates} use it.
     *
     * @param templates the template files selected for the instance
     * @throws FacsimileException (a user error) when no layer of the instance sets the key; the
     *     message lists the keys next to it
     */
    public Explanation explain(Definition definition, String key, List<Path> templates) {
        List<String> path = List.of(key.split("\\.", -1));
        Optional<Object> value = definition.get(key);
        List<Contribution> history = definition.history(key);
        if (value.isEmpty() && history.isEmpty()) {
            throw new FacsimileException(
                    "instance " + definition.instance() + " has no key " + key + "; " + siblings(definition, path));
        }
        // a removed key has no origin in the tree; the contribution that removed it is where to look
        Origin origin = definition
                .origin(key)
                .or(() -> history.isEmpty()
                        ? Optional.empty()
                        : Optional.of(history.get(history.size() - 1).origin()))
                .orElse(null);
        List<Contribution> earlier = history.isEmpty() ? List.of() : history.subList(0, history.size() - 1);
        Object written =
                history.isEmpty() ? null : history.get(history.size() - 1).value();
        return new Explanation(
                definition.instance(),
                key,
                value.map(v -> mask(path, v)).orElse(null),
                written == null || value.isEmpty() || written.equals(value.get()) ? null : mask(path, written),
                origin == null ? "" : Places.of(basedir, origin),
                origin == null ? "" : layerOf(definition, origin),
                shadowed(definition, path, earlier),
                TemplateUsages.find(key, templates, basedir));
    }

    private void leaves(Definition definition, Object node, List<String> path, List<DescribedValue> out) {
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((key, child) -> {
                path.add((String) key);
                leaves(definition, child, path, out);
                path.remove(path.size() - 1);
            });
            return;
        }
        String dotted = String.join(".", path);
        List<Contribution> history = definition.history(dotted);
        List<Contribution> earlier = history.isEmpty() ? List.of() : history.subList(0, history.size() - 1);
        Optional<Origin> origin = definition.origin(dotted);
        out.add(new DescribedValue(
                dotted,
                mask(path, node),
                origin.map(o -> Places.of(basedir, o)).orElse(""),
                origin.map(o -> layerOf(definition, o)).orElse(""),
                shadowed(definition, path, earlier)));
    }

    private List<Shadowed> shadowed(Definition definition, List<String> path, List<Contribution> contributions) {
        return contributions.stream()
                .map(c -> new Shadowed(
                        c.value() == null ? null : mask(path, c.value()),
                        Places.of(basedir, c.origin()),
                        layerOf(definition, c.origin())))
                .toList();
    }

    private Map<String, Map<String, Object>> modules(Modules modules, StoredState state) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (Module module : modules.all()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("username", module.username());
            fields.put("password", password(state.passwords().get(module.username())));
            module.fields().forEach((key, value) -> fields.put(key, mask(List.of(key), value)));
            Map<String, Object> instances = new LinkedHashMap<>();
            for (ServiceInstance instance : module.instances()) {
                Map<String, Object> fieldsOfInstance = instance.toMap();
                fieldsOfInstance.remove("module");
                fieldsOfInstance.remove("instance_name");
                instances.put(instance.instanceName(), fieldsOfInstance);
            }
            if (!instances.isEmpty()) {
                fields.put("instances", instances);
            }
            result.put(module.key(), fields);
        }
        return result;
    }

    private Map<String, Object> state(StoredState state) {
        Map<String, Object> passwords = new LinkedHashMap<>();
        state.sortedPasswords().forEach((user, secret) -> passwords.put(user, password(secret)));
        Map<String, Object> instances = new LinkedHashMap<>();
        for (Map.Entry<String, ServiceInstanceRecord> entry :
                state.sortedServiceInstances().entrySet()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("uiid", entry.getValue().uiid());
            record.put("logical_name", entry.getValue().logicalName());
            instances.put(entry.getKey(), record);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("passwd", passwords);
        result.put("instances", instances);
        return result;
    }

    private String password(Secret stored) {
        if (stored == null) {
            return NOT_GENERATED;
        }
        return showSecrets ? stored.reveal() : SecretMask.MASK;
    }

    /** The value, or a copy with secret-named entries masked. */
    private Object mask(List<String> path, Object value) {
        if (showSecrets) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put((String) key, mask(append(path, (String) key), child)));
            return copy;
        }
        if (value instanceof List<?> list) {
            if (SecretMask.isSecretPath(path)) {
                return SecretMask.MASK;
            }
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(mask(append(path, Integer.toString(i)), list.get(i)));
            }
            return copy;
        }
        return SecretMask.isSecretPath(path) ? SecretMask.MASK : value;
    }

    private static List<String> append(List<String> path, String step) {
        List<String> result = new ArrayList<>(path);
        result.add(step);
        return result;
    }

    private static String layerOf(Definition definition, Origin origin) {
        Path file = origin.file().toAbsolutePath().normalize();
        return definition.layers().stream()
                .filter(layer -> layer.file().toAbsolutePath().normalize().equals(file))
                .map(Definition.Layer::name)
                .findFirst()
                .orElse("");
    }

    private static String siblings(Definition definition, List<String> path) {
        for (int depth = path.size() - 1; depth >= 0; depth--) {
            String parent = String.join(".", path.subList(0, depth));
            Optional<Object> node = depth == 0 ? Optional.of(definition.tree()) : definition.get(parent);
            if (node.isPresent() && node.get() instanceof Map<?, ?> map) {
                TreeSet<String> keys = new TreeSet<>();
                map.keySet().forEach(k -> keys.add((String) k));
                String where = depth == 0 ? "top-level keys" : "keys under " + parent;
                return keys.isEmpty() ? "there are no " + where : where + ": " + String.join(", ", keys);
            }
        }
        return "see mvn facsimile:describe for every key";
    }
}

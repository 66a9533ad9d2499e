package io.facsimile.core.template;

import io.facsimile.core.ProjectContext;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which project properties one rendering read: the names its templates asked {@code $project.properties}
 * for, set or not, or all of them once a template went through the whole map (iterated it, printed it,
 * asked its size). Only these are inputs of the rendering: a {@code -D} no template and no definition
 * reads renders nothing again.
 *
 * <p>The names are kept as the environment variables a definition looks up are (see
 * {@code ResolutionKey#environment}), as {@link ProjectContext#propertyInput} names them.
 */
public final class PropertyReads {

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /** The most names kept one by one; a rendering that looked up more reads them all. */
    static final int MOST_NAMES = 256;

    /** The inputs read so far ({@link ProjectContext#propertyInput}, {@link ProjectContext#ALL_PROPERTIES_INPUT}), sorted. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(names));
    }

    /**
     * {@link #names()} as they may be written down: a name a template built from a secret (a lookup of
     * {@code "x." + $module.db.password}) or more than {@link #MOST_NAMES} names are kept as
     * {@link ProjectContext#ALL_PROPERTIES_INPUT} instead, which is read then as all properties are.
     */
    public List<String> names(Collection<String> secrets) {
        List<String> read = names();
        boolean holdsSecret = read.stream()
                .anyMatch(name -> secrets.stream().anyMatch(secret -> !secret.isEmpty() && name.contains(secret)));
        return holdsSecret || read.size() > MOST_NAMES ? List.of(ProjectContext.ALL_PROPERTIES_INPUT) : read;
    }

    /**
     * {@code properties} as templates see them, read-only, telling this recorder every name looked up
     * ({@code get}, {@code containsKey}) and, for anything that goes through the whole map, all.
     */
    public Map<String, String> view(Map<String, String> properties) {
        // in name order, and lenient as the frozen maps are: a number or null looked up reads null, not an error
        return new Recording(new LinkedHashMap<>(new TreeMap<>(properties)));
    }

    /** The map templates get; public because Velocity calls its methods. */
    public final class Recording extends AbstractMap<String, String> {

        private final Map<String, String> properties;

        Recording(Map<String, String> properties) {
            this.properties = properties;
        }

        @Override
        public String get(Object key) {
            names.add(ProjectContext.propertyInput(String.valueOf(key)));
            return properties.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            names.add(ProjectContext.propertyInput(String.valueOf(key)));
            return properties.containsKey(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            names.add(ProjectContext.ALL_PROPERTIES_INPUT);
            return Collections.unmodifiableMap(properties).entrySet();
        }

        @Override
        public Collection<String> values() {
            names.add(ProjectContext.ALL_PROPERTIES_INPUT);
            return Collections.unmodifiableCollection(properties.values());
        }
    }
}

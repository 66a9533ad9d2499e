package io.facsimile.core.incremental;

import java.util.List;
import java.util.Objects;

/**
 * A fingerprint of what resolving an instance read (the listing of the definition sources, the
 * content of its state file, the environment variables and project properties its values and templates
 * looked up, the project and the configuration) with the names needed to take it again before resolving
 * anything: the state name, and the variables and properties. Kept in the stamp of a release dir. While it is unchanged the
 * instance resolves to what it resolved to then, so an untouched release dir is current without
 * resolving it again, as Gradle's configuration cache skips configuring an unchanged build.
 *
 * @param digest the fingerprint, hex
 * @param layers the same fingerprint over the layer files only instead of the whole listing (see
 *     {@link SourceFiles.Listing#layersDigest}), or {@code null} when the listing cannot tell them apart:
 *     while it is unchanged the definition is what a rendering already checked, although a template or
 *     an extra file changed
 * @param stateName the state the instance was resolved with
 * @param environment the environment variables its values looked up and the project properties its values
 *     and templates looked up ({@link io.facsimile.core.ProjectContext#propertyInput}), set or not, sorted
 */
public record ResolutionKey(String digest, String layers, String stateName, List<String> environment) {

    public ResolutionKey {
        environment = List.copyOf(environment);
    }

    /**
     * @param values the caller's values, from {@link RenderInputs#builder}: everything but the listing
     * @param sources the run's source files, whose listing of the definition sources is added: all of
     *     it for {@code digest}, the layer files for {@code layers}
     */
    public static ResolutionKey of(
            Fingerprint values, SourceFiles sources, String stateName, List<String> environment) {
        SourceFiles.Listing listing = sources.taken();
        String base = values.hex();
        return new ResolutionKey(
                new Fingerprint()
                        .add("values", base)
                        .add("definitions", listing.digest())
                        .hex(),
                listing.layersDigest() == null
                        ? null
                        : new Fingerprint()
                                .add("values", base)
                                .add("layers", listing.layersDigest())
                                .hex(),
                stateName,
                environment);
    }

    // equals and hashCode spelled out: the record's own bootstrap java.lang.runtime.ObjectMethods on their first
    // call, tens of milliseconds of a fresh JVM, and an unchanged re-render compares one key per instance

    @Override
    public boolean equals(Object other) {
        return other instanceof ResolutionKey key
                && Objects.equals(digest, key.digest)
                && Objects.equals(layers, key.layers)
                && Objects.equals(stateName, key.stateName)
                && environment.equals(key.environment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digest, layers, stateName, environment);
    }

    /** Whether the definition resolves as it did for {@code other}: the same layers, state and environment. */
    public boolean sameDefinition(ResolutionKey other) {
        return other != null && layers != null && layers.equals(other.layers());
    }
}

package io.facsimile.core.incremental;

import java.util.List;

/**
 * A fingerprint of what resolving an instance read (the listing of the definition sources, the
 * content of its state file, the environment variables its values looked up, the project and the
 * configuration) with the names needed to take it again before resolving anything: the state name
 * and the environment variables. Kept in the stamp of a release dir. While it is unchanged the
 * instance resolves to what it resolved to then, so an untouched release dir is current without
 * resolving it again, as Gradle's configuration cache skips configuring an unchanged build.
 *
 * @param digest the fingerprint, hex
 * @param stateName the state the instance was resolved with
 * @param environment the environment variables its values looked up, set or not, sorted
 */
public record ResolutionKey(String digest, String stateName, List<String> environment) {

    public ResolutionKey {
        environment = List.copyOf(environment);
    }

    /**
     * @param values the caller's values, from {@link RenderInputs#builder}: everything but the listing
     * @param sources the run's source files, whose listing of the definition sources is added
     */
    public static ResolutionKey of(
            Fingerprint values, SourceFiles sources, String stateName, List<String> environment) {
        return new ResolutionKey(
                values.add("definitions", sources.taken().digest()).hex(), stateName, environment);
    }
}

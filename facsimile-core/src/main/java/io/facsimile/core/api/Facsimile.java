package io.facsimile.core.api;

import io.facsimile.core.definition.Definition;
import io.facsimile.core.definition.DefinitionResolver;
import io.facsimile.core.definition.DefinitionSources;
import io.facsimile.core.module.ModuleResolver;
import io.facsimile.core.module.Modules;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.StateStore;
import java.util.ArrayList;
import java.util.List;

/**
 * What a build tool calls: one object per project and run. Each method is one goal's work; the
 * caller turns its own parameters into a {@link FacsimileConfig} and maps {@link FacsimileException}s
 * to its own failures.
 */
public final class Facsimile {

    private final FacsimileConfig config;
    private final Reporter reporter;
    private final DefinitionResolver resolver;
    private final StateStore states;

    public Facsimile(FacsimileConfig config, Reporter reporter) {
        this.config = config;
        this.reporter = reporter;
        ProjectContext project = config.project();
        this.resolver = new DefinitionResolver(
                DefinitionSources.locate(project.basedir(), config.definitionsDirectory(), config.sharedDirectories()),
                project);
        this.states = new StateStore(config.stateDirectory());
    }

    /** The instances the definitions directory holds, sorted. */
    public List<String> instances() {
        return resolver.instances();
    }

    /**
     * Resolves an instance and its modules, generating and saving whatever its state lacks (new
     * passwords, uiids). Stored values are never changed.
     */
    public ResolvedInstance resolve(String instance) {
        Definition definition = resolver.resolve(instance);
        try (StateSession state = states.open(definition.stateName())) {
            ResolvedInstance resolved = new ResolvedInstance(definition, modules(definition, state));
            if (state.commit()) {
                reporter.info("Saved new generated values in state " + definition.stateName());
            }
            return resolved;
        }
    }

    /**
     * Resolves each instance in memory and collects every error of every instance; writes nothing,
     * not even new state.
     */
    public Validation validate(List<String> instances) {
        List<String> summaries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String instance : instances) {
            try {
                Definition definition = resolver.resolve(instance);
                try (StateSession state = states.peek(definition.stateName())) {
                    summaries.add(new ResolvedInstance(definition, modules(definition, state)).summary());
                }
            } catch (FacsimileException e) {
                errors.add(e.getMessage());
            }
        }
        return new Validation(summaries, errors);
    }

    private Modules modules(Definition definition, StateSession state) {
        ModuleResolver modules = new ModuleResolver(definition, state);
        return resolver.modules().map(modules::resolve).orElse(Modules.none());
    }
}

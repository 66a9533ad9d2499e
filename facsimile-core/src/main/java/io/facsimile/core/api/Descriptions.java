package io.facsimile.core.api;

import io.facsimile.core.FacsimileException;
import io.facsimile.core.definition.Definition;
import io.facsimile.core.describe.Describer;
import io.facsimile.core.describe.Description;
import io.facsimile.core.describe.Explanation;
import io.facsimile.core.describe.InstanceList;
import io.facsimile.core.describe.ListedInstance;
import io.facsimile.core.describe.StoredState;
import io.facsimile.core.state.StateSession;
import java.util.ArrayList;
import java.util.List;

/** What {@code describe} and {@code list} show; writes nothing, not even new state. */
final class Descriptions {

    private final ReleaseRenderer renderer;
    private final FacsimileRun run;

    /** Descriptions of the run {@code renderer} renders for; it names the templates an explanation lists. */
    Descriptions(ReleaseRenderer renderer) {
        this.renderer = renderer;
        this.run = renderer.run();
    }

    Description describe(String instance, boolean showSecrets) {
        Definition definition = run.definition(instance);
        try (StateSession state = run.states().peek(definition.stateName())) {
            StoredState stored =
                    new StoredState(state.file(), state.passwords(), state.serviceInstances(), state.recipients());
            return describer(showSecrets)
                    .describe(definition, run.modules(definition, state, run.sourceFiles()), stored);
        }
    }

    Explanation explain(String instance, String key, boolean showSecrets) {
        Definition definition = run.definition(instance);
        try (StateSession state = run.states().peek(definition.stateName())) {
            ResolvedInstance resolved =
                    new ResolvedInstance(definition, run.modules(definition, state, run.sourceFiles()));
            return describer(showSecrets).explain(definition, key, renderer.templates(resolved));
        }
    }

    InstanceList list(List<String> instances) {
        List<ListedInstance> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String instance : instances) {
            try {
                rows.add(ListedInstance.of(run.definition(instance)));
            } catch (FacsimileException e) {
                errors.add(e.getMessage());
            }
        }
        return new InstanceList(rows, errors);
    }

    private Describer describer(boolean showSecrets) {
        return new Describer(run.project().basedir(), showSecrets);
    }
}

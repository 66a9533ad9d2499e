package io.facsimile.core.api;

import io.facsimile.core.definition.Definition;
import io.facsimile.core.module.Module;
import io.facsimile.core.state.GitExposure;
import io.facsimile.core.state.StateException;
import io.facsimile.core.state.StateSession;
import io.facsimile.core.state.crypto.Recipient;
import java.nio.file.Path;
import java.util.List;

/** The goals that change a state itself: rotate a password, encrypt a plaintext state, change its recipients. */
final class StateKeeping {

    private final FacsimileRun run;

    StateKeeping(FacsimileRun run) {
        this.run = run;
    }

    /** See {@link Facsimile#rotate}. */
    void rotate(String instance, String module) {
        run.stateChanged();
        Definition definition = run.definition(instance);
        try (StateSession state = run.states().open(definition.stateName())) {
            List<String> keys = run.modules(definition, state, run.sourceFiles()).all().stream()
                    .map(Module::key)
                    .sorted()
                    .toList();
            if (!keys.contains(module) || !state.retire(module)) {
                throw new StateException("Instance " + instance + " has no module " + module + " to rotate: its"
                        + " modules are " + (keys.isEmpty() ? "none" : String.join(", ", keys))
                        + ". Use -Dfacsimile.secret=<module key>");
            }
            run.modules(definition, state, run.sourceFiles()); // generates the new password with the module's policy
            state.commit();
        }
        run.reporter()
                .info(instance + ": new password for " + module + " in state " + definition.stateName()
                        + "; the old one is kept retired (masked by diff and deploy). Deploy to put it in place");
    }

    /** See {@link Facsimile#encryptState}. */
    Path encrypt(String instance, List<Recipient> recipients) {
        run.stateChanged();
        String stateName = run.definition(instance).stateName();
        Path file = run.states().encrypt(stateName, recipients);
        run.reporter()
                .info(
                        instance + ": state " + stateName + " encrypted into " + run.shown(file)
                                + " for "
                                + String.join(
                                        ", ",
                                        recipients.stream().map(Recipient::id).toList())
                                + "; the plaintext file was kept as state.json.before-encrypt: delete it once the team has checked");
        return file;
    }

    /** See {@link Facsimile#changeStateRecipients}. */
    List<String> changeRecipients(String instance, List<Recipient> added, List<Recipient> removed) {
        run.stateChanged();
        String stateName = run.definition(instance).stateName();
        try (StateSession state = run.states().open(stateName)) {
            if (added.isEmpty() && removed.isEmpty() && !state.isEncrypted()) {
                run.reporter()
                        .info(instance + ": state " + stateName + " is in clear (" + state.file()
                                + "): readable by whoever can read the file");
                return List.of();
            }
            state.changeRecipients(added, removed);
            state.commit();
            run.reporter()
                    .info(
                            instance + ": state " + stateName + " is readable by "
                                    + String.join(", ", state.recipients())
                                    + (removed.isEmpty()
                                            ? ""
                                            : "; its data key was changed, so removed recipients cannot open what"
                                                    + " is written from now on (rotate the passwords they knew: facsimile:rotate)"));
            return state.recipients();
        }
    }

    /** See {@link Facsimile#checkExposedStates}. */
    StateExposure checkExposedStates() {
        Path directory = run.config().stateDirectory();
        return new StateExposure(
                GitExposure.inBackground(directory),
                file -> run.reporter()
                        .warn("The plaintext state " + file
                                + " is inside a git work tree and not ignored: git add -A would commit its passwords. Add "
                                + run.shown(directory)
                                + "/ to .gitignore; to share a state with the team, encrypt it (mvn"
                                + " facsimile:state-encrypt), which moves the plaintext aside into that directory"));
    }
}

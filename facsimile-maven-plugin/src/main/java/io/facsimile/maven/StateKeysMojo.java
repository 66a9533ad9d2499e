package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.maven.internal.PropertyNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Adds or removes recipients of an instance's encrypted state
 * ({@code -Dfacsimile.addRecipient=age1…}, {@code -Dfacsimile.removeRecipient=age1…}); without either it
 * prints who can read the state. Removing a recipient changes the state's data key.
 *
 * @since 0.1.0
 */
@Mojo(name = "state-keys", requiresProject = true, threadSafe = true)
public class StateKeysMojo extends AbstractFacsimileMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.state-keys.skip", defaultValue = "false")
    private boolean skipStateKeys;

    /**
     * Recipients to add: {@code age1…} or {@code passphrase:<server id>}, comma-separated.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ADD_RECIPIENT)
    private List<String> addRecipients = new ArrayList<>();

    /**
     * Recipients to remove, as written in the state file, comma-separated.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.REMOVE_RECIPIENT)
    private List<String> removeRecipients = new ArrayList<>();

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        facsimile.changeStateRecipients(requiredInstance(facsimile), parse(addRecipients), parse(removeRecipients));
    }

    private static List<Recipient> parse(List<String> recipients) {
        return recipients == null
                ? List.of()
                : recipients.stream()
                        .filter(r -> !r.isBlank())
                        .map(Recipient::parse)
                        .toList();
    }

    @Override
    protected String goal() {
        return "state-keys";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipStateKeys;
    }
}

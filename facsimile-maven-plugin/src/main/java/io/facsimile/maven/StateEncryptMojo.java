package io.facsimile.maven;

import io.facsimile.core.api.Facsimile;
import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.maven.internal.PropertyNames;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Encrypts the plaintext state of an instance for {@code stateRecipients} (in the pom, or
 * {@code -Dfacsimile.stateRecipients=age1…,passphrase:<server id>}) into
 * {@code <definitions directory>/state/<state name>.json}, to be committed. Every value is read back
 * and compared before the plaintext file is moved to {@code state.json.before-encrypt}, the backup.
 *
 * @since 0.1.0
 */
@Mojo(name = "state-encrypt", requiresProject = true, threadSafe = true)
public class StateEncryptMojo extends AbstractFacsimileMojo {

    /**
     * Skips this goal only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "facsimile.state-encrypt.skip", defaultValue = "false")
    private boolean skipStateEncrypt;

    @Override
    protected void run(Facsimile facsimile) throws MojoFailureException {
        String instance = requiredInstance(facsimile);
        List<Recipient> parsed = stateRecipients();
        if (parsed.isEmpty()) {
            throw new MojoFailureException("state-encrypt needs recipients: -D" + PropertyNames.STATE_RECIPIENTS
                    + "=age1…,passphrase:<settings.xml server id>");
        }
        facsimile.encryptState(instance, parsed);
    }

    @Override
    protected String goal() {
        return "state-encrypt";
    }

    @Override
    protected boolean isGoalSkipped() {
        return skipStateEncrypt;
    }
}

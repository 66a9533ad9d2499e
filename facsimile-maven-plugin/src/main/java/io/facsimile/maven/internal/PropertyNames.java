package io.facsimile.maven.internal;

/** Every user property the plugin reads, in one place. */
public final class PropertyNames {

    /** The instance to work on, as users type it: {@code -Dinstance=prod.eu1}. */
    public static final String INSTANCE = "instance";
    /** The same, namespaced: {@code -Dfacsimile.instance=prod.eu1}. */
    public static final String FACSIMILE_INSTANCE = "facsimile.instance";
    /** The instances of goals that work on many, comma-separated: {@code -Dfacsimile.instances=dev.local,prod.eu1}. */
    public static final String INSTANCES = "facsimile.instances";
    /** Skips every goal of the plugin. */
    public static final String SKIP = "facsimile.skip";
    /** The definitions directory. */
    public static final String DEFINITIONS_DIRECTORY = "facsimile.definitionsDirectory";
    /** The state directory. */
    public static final String STATE_DIRECTORY = "facsimile.stateDirectory";
    /** The name of the project layer. */
    public static final String PROJECT_NAME = "facsimile.projectName";
    /** Show secrets in {@code describe} output. */
    public static final String SHOW_SECRETS = "facsimile.showSecrets";
    /** Print what would happen, change nothing. */
    public static final String DRY_RUN = "facsimile.dryRun";
    /** Limit a deploy to some targets. */
    public static final String TARGETS = "facsimile.targets";
    /** For a local deploy: a directory {@code deploy.home} is placed below. */
    public static final String DESTDIR = "facsimile.destdir";

    public static final String CHECKSUM = "facsimile.checksum";
    public static final String FORCE = "facsimile.force";
    /** The release {@code rollback} goes to: {@code -Dfacsimile.to=1.4.0-3f9a0c2e1b7d}. */
    public static final String TO = "facsimile.to";
    /** How many deploy-log entries {@code history} prints per node. */
    public static final String LIMIT = "facsimile.limit";
    /** Accept and record host keys of nodes the known hosts file does not list. */
    public static final String ACCEPT_NEW_HOST_KEYS = "facsimile.acceptNewHostKeys";
    /** The known hosts file of remote nodes. */
    public static final String KNOWN_HOSTS = "facsimile.knownHosts";
    /** The ciphers offered to remote nodes, best first: {@code -Dfacsimile.ssh.ciphers=aes128-ctr}. */
    public static final String SSH_CIPHERS = "facsimile.ssh.ciphers";
    /** Drop the state of removed modules before rendering. */
    public static final String PRUNE = "facsimile.prune";
    /** Seconds the templates of one instance may render: {@code -Dfacsimile.templateTimeout=120}. */
    public static final String TEMPLATE_TIMEOUT = "facsimile.templateTimeout";
    /** Characters one rendered file may have. */
    public static final String TEMPLATE_MAX_OUTPUT = "facsimile.templateMaxOutput";
    /** Skip one goal: {@code facsimile.<goal>.skip}. */
    public static final String GOAL_SKIP_FORMAT = "facsimile.%s.skip";

    /** The output format of {@code describe} and {@code list}: {@code text}, {@code json} or {@code yaml}. */
    public static final String FORMAT = "facsimile.format";
    /** The key {@code describe} explains: {@code -Dfacsimile.explain=db.host}. */
    public static final String EXPLAIN = "facsimile.explain";
    /** A file {@code describe} and {@code list} write to instead of the log. */
    public static final String OUTPUT_FILE = "facsimile.outputFile";
    /** {@code describe} and {@code list} print to standard output, also under {@code -q}. */
    public static final String FORCE_STDOUT = "facsimile.forceStdout";
    /** {@code package} attaches its bundles to the project (default) or only writes them. */
    public static final String ATTACH = "facsimile.attach";

    private PropertyNames() {}

    /** Who a new state is encrypted for (comma-separated age1… keys and passphrase:<server id>). */
    public static final String STATE_RECIPIENTS = "facsimile.stateRecipients";

    /** Files of age identities that open encrypted states. */
    public static final String STATE_IDENTITY = "facsimile.stateIdentity";

    /** Where encrypted states are kept; default {@code <definitions directory>/state}. */
    public static final String ENCRYPTED_STATE_DIRECTORY = "facsimile.encryptedStateDirectory";

    /** The module whose password {@code facsimile:rotate} replaces. */
    public static final String SECRET = "facsimile.secret";

    /** Recipients {@code facsimile:state-keys} adds (comma-separated). */
    public static final String ADD_RECIPIENT = "facsimile.addRecipient";

    /** Recipients {@code facsimile:state-keys} removes (comma-separated). */
    public static final String REMOVE_RECIPIENT = "facsimile.removeRecipient";
}

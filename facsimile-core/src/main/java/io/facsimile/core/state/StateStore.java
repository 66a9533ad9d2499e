package io.facsimile.core.state;

import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.state.secret.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The generated state of every instance of a project, one directory per state name:
 * {@code <stateDirectory>/<stateName>/state.json} (SPEC §5).
 *
 * <p>A store holds no open files; {@link #open(String)} locks one state and returns a session. The
 * store is thread-safe and cheap: the Maven plugin may create one per execution.
 *
 * <pre>{@code
 * try (StateSession state = new StateStore(basedir.resolve(".facsimile/state")).open("prod")) {
 *     Secret password = state.password("proj0", SecretPolicy.defaults());
 *     ServiceInstanceRecord api0 = state.serviceInstance("apid.0", "api");
 *     state.commit();
 * }
 * }</pre>
 */
public final class StateStore {

    /** How long {@link #open(String)} waits for another run to release a state, unless told otherwise. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern STATE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

    private final Path stateDirectory;
    private final Duration lockTimeout;
    private final StateFiles.Checkpoint checkpoint;
    private final SecureRandom random = new SecureRandom();
    /** {@code null}: every state is in clear. */
    private final StateEncryption encryption;
    /** Where the locks of encrypted states are taken, which builds with other local state directories share. */
    private final Path sharedLocks;

    /**
     * A store in {@code stateDirectory}, which is created (owner-only) on the first {@link #open(String)}.
     *
     * @param stateDirectory e.g. {@code ${project.basedir}/.facsimile/state}
     */
    public StateStore(Path stateDirectory) {
        this(stateDirectory, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * A store that waits at most {@code lockTimeout} for a state that another run holds.
     *
     * @param stateDirectory e.g. {@code ${project.basedir}/.facsimile/state}
     * @param lockTimeout the longest wait of {@link #open(String)}; zero means "fail at once when held"
     */
    public StateStore(Path stateDirectory, Duration lockTimeout) {
        this(stateDirectory, lockTimeout, StateFiles.Checkpoint.NONE);
    }

    /** For tests that inject failures into a save. */
    StateStore(Path stateDirectory, Duration lockTimeout, StateFiles.Checkpoint checkpoint) {
        this(stateDirectory, lockTimeout, checkpoint, null);
    }

    /**
     * A store that also reads and writes encrypted states: a state whose {@code <name>.json} exists in
     * {@code encryption.directory()} is encrypted; a new state is encrypted when
     * {@code encryption.recipients()} is not empty, and kept in clear in {@code stateDirectory} otherwise.
     * Locks and backups stay in {@code stateDirectory} either way.
     */
    public StateStore(Path stateDirectory, StateEncryption encryption) {
        this(stateDirectory, DEFAULT_LOCK_TIMEOUT, StateFiles.Checkpoint.NONE, encryption);
    }

    StateStore(
            Path stateDirectory, Duration lockTimeout, StateFiles.Checkpoint checkpoint, StateEncryption encryption) {
        this(stateDirectory, lockTimeout, checkpoint, encryption, defaultSharedLocks());
    }

    /** For tests that keep the locks of encrypted states out of the user's home. */
    StateStore(Path stateDirectory, StateEncryption encryption, Path sharedLocks) {
        this(stateDirectory, DEFAULT_LOCK_TIMEOUT, StateFiles.Checkpoint.NONE, encryption, sharedLocks);
    }

    private StateStore(
            Path stateDirectory,
            Duration lockTimeout,
            StateFiles.Checkpoint checkpoint,
            StateEncryption encryption,
            Path sharedLocks) {
        this.encryption = encryption;
        this.sharedLocks = sharedLocks;
        this.stateDirectory = stateDirectory.toAbsolutePath().normalize();
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lockTimeout must not be negative: " + lockTimeout);
        }
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /**
     * {@code ~/.facsimile/locks}: the user's own, so no other user can plant a link there; {@code null} when
     * Java knows no home (a uid without a passwd entry, as in a container, gets {@code "?"}).
     */
    private static Path defaultSharedLocks() {
        String home = System.getProperty("user.home", "");
        return home.isEmpty() || !Path.of(home).isAbsolute() ? null : Path.of(home, ".facsimile", "locks");
    }

    /** The directory that holds one subdirectory per state. */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /**
     * Where the state {@code stateName} is kept; the file need not exist.
     *
     * @throws StateException when the name is not a valid state name
     */
    public Path stateFile(String stateName) {
        String name = validName(stateName);
        Path shared = sharedFile(name);
        return shared != null && Files.exists(shared) ? shared : plainFile(name);
    }

    private Path plainFile(String name) {
        return stateDirectory.resolve(name).resolve(StateFiles.STATE_FILE);
    }

    /** Where the encrypted state {@code name} is or would be kept; {@code null} without encryption. */
    private Path sharedFile(String name) {
        return encryption == null
                ? null
                : encryption.directory().toAbsolutePath().normalize().resolve(name + ".json");
    }

    /**
     * The files of state {@code name}: the encrypted file when it exists, the plaintext one when it exists,
     * and for a new state the encrypted layout when recipients are configured (and {@code forWriting}).
     */
    private StateFiles files(String name, Path directory, boolean forWriting) {
        Path shared = sharedFile(name);
        Path plain = directory.resolve(StateFiles.STATE_FILE);
        if (shared != null && Files.exists(shared)) {
            if (Files.exists(plain)) {
                throw new StateException("State " + name + " is kept twice: encrypted in " + shared + " and in clear"
                        + " in " + plain + ". Keep the encrypted one (the one your team shares) and move the other"
                        + " away, after checking that it holds nothing the encrypted one lacks");
            }
            return new StateFiles(
                    shared,
                    directory.resolve(name + ".json.bak"),
                    EncryptedState.reader(name, shared, encryption.keys(), random),
                    checkpoint,
                    random);
        }
        if (forWriting && !Files.exists(plain)) {
            refuseToStartOver(name, directory, shared);
        }
        if (forWriting
                && shared != null
                && !Files.exists(plain)
                && !encryption.recipients().isEmpty()) {
            EncryptedState created =
                    EncryptedState.create(name, shared, encryption.recipients(), encryption.keys(), random);
            return new StateFiles(shared, directory.resolve(name + ".json.bak"), created, checkpoint, random);
        }
        return new StateFiles(directory, checkpoint, random);
    }

    /**
     * Refuses to start state {@code name} afresh while its directory still holds what an earlier one left:
     * every secret would be generated anew (and deployed). That happens when the state file is gone but its
     * backup is not, or on a branch older than the commit that added the encrypted state, after {@code
     * state-encrypt} moved the plaintext aside.
     */
    private static void refuseToStartOver(String name, Path directory, Path shared) {
        List<Path> left = Stream.of(StateFiles.BACKUP_FILE, StateFiles.BEFORE_ENCRYPT_FILE, name + ".json.bak")
                .map(directory::resolve)
                .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
                .toList();
        if (!left.isEmpty()) {
            throw new StateException("State " + name + " has no file"
                    + (shared == null ? " in " + directory : ", neither " + shared + " nor in clear in " + directory)
                    + ", but " + left.stream().map(Path::toString).collect(Collectors.joining(" and "))
                    + " remain from an earlier one: every secret would be generated anew. If the state lives in a"
                    + " commit this checkout lacks (an older branch?), check that commit out; to start afresh on"
                    + " purpose, move those files away");
        }
    }

    /**
     * Locks the state {@code stateName} and reads it. The lock serialises threads of this JVM and other
     * processes; it is held until the session is closed. For an encrypted state (or one this store would
     * create encrypted), the lock of the encrypted file is taken too, which builds with other local state
     * directories share ({@code ~/.facsimile/locks}; without a home Java knows, or one that cannot be written,
     * the local lock alone, and the save's check that the file did not change meanwhile). Creates the state's directory (mode 0700) and
     * its {@code .lock} file (0600) if needed; {@code state.json} is only written by
     * {@link StateSession#commit()}.
     *
     * @param stateName the instance name, or the name a layer sets with {@code state:}; letters, digits,
     *     {@code . _ -}, no {@code ..}, not starting with a dot
     * @return an open session; close it (try-with-resources) to release the lock
     * @throws StateException when the name is invalid, the lock is not released within the timeout, the
     *     file does not parse (a user error naming the file and position; the file is left as it is) or
     *     cannot be read
     */
    public StateSession open(String stateName) {
        String name = validName(stateName);
        Path directory;
        try {
            Path wanted = stateDirectory.resolve(name);
            Files.createDirectories(wanted, Permissions.directoryAttributes(wanted));
            // The real path is the lock key: two spellings of one directory (a symlink) must share a lock.
            directory = wanted.toRealPath();
        } catch (IOException e) {
            throw StateException.io("Cannot create the state directory of '" + name + "' in " + stateDirectory, e);
        }
        StateLock lock = StateLock.acquire(directory, name, lockTimeout);
        Path shared = sharedFile(name);
        if (shared != null
                && sharedLocks != null
                && (Files.exists(shared) || !encryption.recipients().isEmpty())) {
            // an encrypted file (or one this build would create) is shared with builds that lock other
            // local state directories: two modules of a reactor, a second mvn
            lock = lock.withShared(shared, sharedLocks, name, lockTimeout);
        }
        try {
            // owner-only, also when an older tool or a cp left them wider
            Permissions.narrow(directory);
            Stream.of(StateFiles.STATE_FILE, StateFiles.BACKUP_FILE, name + ".json.bak")
                    .forEach(file -> Permissions.narrow(directory.resolve(file)));
            StateFiles files = files(name, directory, true);
            files.removeStaleTemporaryFiles();
            StateDocument document = files.load();
            return new StateSession(name, files, document, lock, random);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Reads a state without locking or creating anything, for goals that promise to write nothing
     * ({@code validate}). Values generated in the returned session stay in memory: it cannot be
     * committed. A state that does not exist yet reads as empty.
     *
     * @throws StateException when the name is invalid or the file does not parse (left as it is)
     */
    public StateSession peek(String stateName) {
        String name = validName(stateName);
        StateFiles files = files(name, stateDirectory.resolve(name), false);
        return new StateSession(name, files, files.load(), null, random);
    }

    /**
     * A digest of the state's {@code state.json} as it is now, read without locking or parsing it (a
     * commit replaces the file whole); as {@link StateSession#digest()} gives it for the content a
     * session read or wrote.
     *
     * @throws StateException when the name is invalid or the file cannot be read
     */
    public String digest(String stateName) {
        String name = validName(stateName);
        Path shared = sharedFile(name);
        if (shared != null && Files.exists(shared)) {
            return StateFiles.digestOf(shared);
        }
        return new StateFiles(stateDirectory.resolve(name), checkpoint, random).digestOnDisk();
    }

    /**
     * The secrets of a state to mask: its current and retired passwords ({@link StateSession#secrets()}),
     * read without locking.
     */
    public List<Secret> secrets(String stateName) {
        try (StateSession state = peek(stateName)) {
            return state.secrets();
        }
    }

    /**
     * Encrypts the plaintext state {@code stateName} for {@code recipients} ({@code facsimile:state-encrypt}):
     * writes {@code <name>.json} in the encryption directory, reads it back and compares every value, and only
     * then moves the plaintext file to {@code state.json.before-encrypt} (owner-only, in the local state
     * directory), the backup.
     *
     * @return the encrypted file
     * @throws StateException when there is no plaintext state, the state is already encrypted, or a value
     *     would be lost; the plaintext file is then left as it is
     */
    public Path encrypt(String stateName, List<Recipient> recipients) {
        if (encryption == null) {
            throw new IllegalStateException("this store has no encryption settings");
        }
        String name = validName(stateName);
        Path shared = sharedFile(name);
        if (Files.exists(shared)) {
            throw new StateException("State " + name + " is already encrypted (" + shared + "); change who can"
                    + " read it with facsimile:state-keys");
        }
        try (StateSession plain = open(name)) {
            Path plainFile = plain.file();
            if (plain.isEncrypted() || !Files.exists(plainFile)) {
                throw new StateException(
                        "State " + name + " has no plaintext file to encrypt (" + plainFile(name) + ")");
            }
            StateDocument document = plain.document();
            Path directory = plainFile.getParent();
            EncryptedState encrypted = EncryptedState.create(name, shared, recipients, encryption.keys(), random);
            StateFiles files =
                    new StateFiles(shared, directory.resolve(name + ".json.bak"), encrypted, checkpoint, random);
            files.save(encrypted.encode(document));
            try {
                StateDocument back = EncryptedState.reader(name, shared, encryption.keys(), random)
                        .decode(Files.readAllBytes(shared));
                if (!back.equals(document)) {
                    throw new StateCodec.MalformedStateException("does not hold every value of " + plainFile);
                }
                Files.move(
                        plainFile, directory.resolve(StateFiles.BEFORE_ENCRYPT_FILE), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | StateCodec.MalformedStateException | RuntimeException e) {
                try {
                    Files.deleteIfExists(shared);
                } catch (IOException ignored) {
                    // reported below; the plaintext file is untouched either way
                }
                throw StateException.broken(
                        "Encrypting state " + name + " failed, " + plainFile + " was left as it is: " + e.getMessage(),
                        e);
            }
            return shared;
        }
    }

    private static String validName(String stateName) {
        if (stateName == null || !STATE_NAME.matcher(stateName).matches() || stateName.contains("..")) {
            throw new StateException("Invalid state name " + (stateName == null ? "null" : "\"" + stateName + "\"")
                    + ": a state name is an instance name such as prod.eu1 (letters, digits, '.', '_' and '-',"
                    + " at most 200, not starting with '.', without '..' or path separators); check the"
                    + " instance name or the 'state:' key of its layers");
        }
        return stateName;
    }
}

package io.facsimile.core.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

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
        this.stateDirectory = stateDirectory.toAbsolutePath().normalize();
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lockTimeout must not be negative: " + lockTimeout);
        }
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
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
        return stateDirectory.resolve(validName(stateName)).resolve(StateFiles.STATE_FILE);
    }

    /**
     * Locks the state {@code stateName} and reads it. The lock serialises threads of this JVM and other
     * processes; it is held until the session is closed. Creates the state's directory (mode 0700) and
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
        try {
            StateFiles files = new StateFiles(directory, checkpoint, random);
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
        StateFiles files = new StateFiles(stateDirectory.resolve(name), checkpoint, random);
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
        return new StateFiles(stateDirectory.resolve(validName(stateName)), checkpoint, random).digestOnDisk();
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

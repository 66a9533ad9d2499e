package io.facsimile.core.state;

import io.facsimile.core.state.crypto.Recipient;
import io.facsimile.core.state.secret.Secret;
import io.facsimile.core.state.secret.SecretPolicy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open, locked state. Values are looked up or generated on first use; generated values live in
 * memory until {@link #commit()} writes them. A stored value is never regenerated, changed or dropped.
 *
 * <p>Close the session (try-with-resources) to release the lock; closing without committing discards
 * what was generated since the last commit. The methods are synchronised, so render threads may share
 * a session, and {@link #close()} may be called from any thread (it waits for a running commit).
 *
 * <p>One thread cannot open the same state twice: the second {@link StateStore#open(String)} fails at
 * once instead of waiting for itself. Instances that share a state (a layer's {@code state:} key) use
 * one session, or open and close it in turn.
 */
public final class StateSession implements AutoCloseable {

    private final String name;
    private final StateFiles files;
    private final StateLock lock;
    private final SecureRandom random;
    private final StateDocument loaded;
    private final Map<String, Secret> passwords;
    private final Map<String, ServiceInstanceRecord> serviceInstances;
    private final Map<String, List<Secret>> retired;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean dirty;

    /** With a {@code null} lock the session is read-only: see {@link StateStore#peek(String)}. */
    StateSession(String name, StateFiles files, StateDocument document, StateLock lock, SecureRandom random) {
        this.name = name;
        this.files = files;
        this.lock = lock;
        this.random = random;
        this.loaded = document;
        this.passwords = new TreeMap<>(document.passwords());
        this.serviceInstances = new TreeMap<>(document.serviceInstances());
        this.retired = new TreeMap<>();
        document.retired().forEach((user, secrets) -> this.retired.put(user, new ArrayList<>(secrets)));
    }

    /** The state name this session was opened with. */
    public String name() {
        return name;
    }

    /** The state's {@code state.json}, which may not exist yet. */
    public Path file() {
        return files.stateFile();
    }

    /**
     * A digest of {@code state.json} as this session read it, or as its last commit wrote it:
     * {@link StateStore#digest(String)} gives the same while no one else writes the state.
     */
    public synchronized String digest() {
        return files.digest();
    }

    /**
     * The password of {@code username}: the stored one, or a new one made with {@code policy} and kept
     * (the session becomes dirty). The policy is ignored when a password is stored.
     *
     * @param username the module's username (its key)
     * @param policy how to generate a password the first time, e.g. {@code SecretPolicy.parse(module.get("password"))}
     */
    public synchronized Secret password(String username, SecretPolicy policy) {
        ensureOpen();
        requireName(username, "username");
        Objects.requireNonNull(policy, "policy");
        Secret stored = passwords.get(username);
        if (stored != null) {
            return stored;
        }
        Secret generated = policy.generate(random);
        passwords.put(username, generated);
        dirty = true;
        return generated;
    }

    /**
     * The stored record of the service instance {@code instanceName}, or a new one with the lowest uiid
     * (1..255) not yet used in this state (the session becomes dirty). A stored record is returned as it
     * is, even when {@code logicalName} has changed since: its uiid must stay stable.
     *
     * @param instanceName the service instance's name, e.g. {@code apid.0}
     * @param logicalName the module's {@code logical_name}, e.g. {@code api}
     * @throws StateException (a user error) when all 255 uiids of the state are taken
     */
    public synchronized ServiceInstanceRecord serviceInstance(String instanceName, String logicalName) {
        ensureOpen();
        requireName(instanceName, "instanceName");
        requireName(logicalName, "logicalName");
        ServiceInstanceRecord stored = serviceInstances.get(instanceName);
        if (stored != null) {
            return stored;
        }
        ServiceInstanceRecord created =
                new ServiceInstanceRecord(lowestFreeUiid(instanceName), logicalName, instanceName);
        serviceInstances.put(instanceName, created);
        dirty = true;
        return created;
    }

    private int lowestFreeUiid(String instanceName) {
        BitSet used = new BitSet(ServiceInstanceRecord.MAX_UIID + 1);
        serviceInstances.values().forEach(record -> used.set(record.uiid()));
        int free = used.nextClearBit(ServiceInstanceRecord.MIN_UIID);
        if (free > ServiceInstanceRecord.MAX_UIID) {
            throw new StateException("Cannot give service instance '" + instanceName + "' a uiid: all "
                    + ServiceInstanceRecord.MAX_UIID + " uiids of state '" + name + "' are taken (" + file()
                    + "). Lower n_instances, or give some instances their own state with 'state:' in a layer");
        }
        return free;
    }

    /**
     * Drops what no module claims any more: the passwords of usernames not in {@code usernames}, and
     * the service instances whose logical name is not in {@code logicalNames}. Only on request
     * ({@code -Dfacsimile.prune}): a normal run never drops a stored value. Service instances of a
     * module that still exists are kept whatever their index, because instances sharing a state may
     * run different numbers of copies.
     *
     * @return the usernames and service instance names dropped, sorted
     */
    public synchronized List<String> prune(Set<String> usernames, Set<String> logicalNames) {
        ensureOpen();
        List<String> dropped = new ArrayList<>();
        List<String> users = new ArrayList<>(passwords.keySet());
        users.stream().filter(user -> !usernames.contains(user)).forEach(user -> {
            retire(user, passwords.remove(user));
            dropped.add(user);
        });
        serviceInstances
                .values()
                .removeIf(record -> !logicalNames.contains(record.logicalName()) && dropped.add(record.instanceName()));
        if (!dropped.isEmpty()) {
            dirty = true;
        }
        Collections.sort(dropped);
        return dropped;
    }

    /**
     * Retires the password of {@code username}: it is kept as retired (so diff and deploy still mask it)
     * and the next {@link #password(String, SecretPolicy)} generates a new one ({@code facsimile:rotate}).
     *
     * @return {@code false} when the state holds no password for {@code username}
     */
    public synchronized boolean retire(String username) {
        ensureOpen();
        Secret current = passwords.remove(username);
        if (current == null) {
            return false;
        }
        retire(username, current);
        dirty = true;
        return true;
    }

    private void retire(String username, Secret secret) {
        List<Secret> old = retired.computeIfAbsent(username, user -> new ArrayList<>());
        if (!old.contains(secret)) {
            old.add(secret);
        }
    }

    /** The passwords retired by prune and rotate, by username, oldest first; a snapshot. */
    public synchronized Map<String, List<Secret>> retired() {
        Map<String, List<Secret>> copy = new TreeMap<>();
        retired.forEach((user, secrets) -> copy.put(user, List.copyOf(secrets)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Every secret the state holds or held: current and retired passwords. What diff, deploy and the
     * bundle's safety net mask, so that a value dropped by prune or replaced by rotate is never shown.
     */
    public synchronized List<Secret> secrets() {
        List<Secret> all = new ArrayList<>(passwords.values());
        retired.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    /**
     * Who can open this state: the recipients its data key is wrapped for, sorted; empty for a plaintext
     * state (readable by whoever can read its file).
     */
    public synchronized List<String> recipients() {
        return files.format() instanceof EncryptedState encrypted ? encrypted.recipients() : List.of();
    }

    /** {@code true} when the state is kept encrypted, in the definitions directory. */
    public boolean isEncrypted() {
        return files.format() instanceof EncryptedState;
    }

    /**
     * Wraps the state's data key for {@code added} and removes {@code removed}; removing changes the data
     * key, so a removed recipient cannot open what is written from now on. Saved by {@link #commit()}.
     *
     * @throws StateException when the state is not encrypted, a removed recipient is not one of its
     *     recipients (nothing is changed then), or the change would leave no recipient
     */
    public synchronized void changeRecipients(List<Recipient> added, List<Recipient> removed) {
        ensureOpen();
        if (!(files.format() instanceof EncryptedState encrypted)) {
            throw new StateException("State " + name + " is not encrypted (" + file() + "); encrypt it first with"
                    + " mvn facsimile:state-encrypt -Dfacsimile.stateRecipients=…");
        }
        List<String> unknown = removed.stream()
                .map(Recipient::id)
                .filter(id -> !encrypted.recipients().contains(id))
                .toList();
        if (!unknown.isEmpty()) {
            // a mistyped key would leave the member to be removed able to read everything, said as done
            throw new StateException("Cannot remove " + String.join(", ", unknown) + " from state " + name + " ("
                    + file() + "): not among its recipients " + String.join(", ", encrypted.recipients())
                    + ". Nothing was changed; give the recipient exactly as listed there");
        }
        for (Recipient recipient : added) {
            if (!encrypted.recipients().contains(recipient.id())) {
                encrypted.add(recipient);
                dirty = true;
            }
        }
        List<String> removedIds = removed.stream().map(Recipient::id).toList();
        if (removedIds.stream().anyMatch(encrypted.recipients()::contains)) {
            List<Recipient> remaining = encrypted.recipients().stream()
                    .filter(id -> !removedIds.contains(id))
                    .map(Recipient::parse)
                    .toList();
            encrypted.remove(removed.get(0), remaining);
            dirty = true;
        }
    }

    /** Every password of the state, by username, sorted; a snapshot. */
    public synchronized Map<String, Secret> passwords() {
        return Collections.unmodifiableMap(new TreeMap<>(passwords));
    }

    /** Every service instance of the state, by instance name, sorted; a snapshot. */
    public synchronized Map<String, ServiceInstanceRecord> serviceInstances() {
        return Collections.unmodifiableMap(new TreeMap<>(serviceInstances));
    }

    /** {@code true} when something was generated since the session was opened or last committed. */
    public synchronized boolean isDirty() {
        return dirty;
    }

    /**
     * Writes the state when something new was generated: atomically, keeping the previous file as
     * {@code state.json.bak}. Does nothing otherwise, so a run that generates nothing leaves the
     * directory as it was.
     *
     * @return {@code true} when the file was written
     * @throws StateException when the write fails; the file on disk is then unchanged and the session
     *     stays dirty, so a later commit can try again
     */
    public synchronized boolean commit() {
        ensureOpen();
        if (!dirty) {
            return false;
        }
        if (lock == null) {
            throw new IllegalStateException("The state '" + name + "' was opened read-only (peek); open it to save");
        }
        files.save(files.format().encode(document()));
        dirty = false;
        return true;
    }

    /** What this session holds now. */
    synchronized StateDocument document() {
        return new StateDocument(passwords, serviceInstances, loaded.unknown(), retired);
    }

    /** Releases the lock. Uncommitted values are discarded. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true) && lock != null) {
            lock.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "StateSession[" + name + ", " + passwords.size() + " passwords, " + serviceInstances.size()
                + " service instances" + (dirty ? ", uncommitted" : "") + (closed.get() ? ", closed" : "") + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The session of state '" + name + "' is closed");
        }
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}

package io.facsimile.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The files of one state directory: {@code state.json}, its backup {@code state.json.bak}, and the
 * temporary files of a save. Callers hold the state's lock.
 *
 * <p>A save never modifies {@code state.json} in place: the new document goes to a temporary file in
 * the same directory (so the rename cannot cross file systems), is forced to disk, and then renamed
 * over {@code state.json} atomically. Until that rename the old file is untouched, so a failure at any
 * earlier point leaves it byte-identical.
 */
final class StateFiles {

    static final String STATE_FILE = "state.json";
    static final String BACKUP_FILE = "state.json.bak";
    /** Where {@code state-encrypt} moves the plaintext state once the encrypted one is written. */
    static final String BEFORE_ENCRYPT_FILE = "state.json.before-encrypt";
    /** The {@link #digest()} of a state without a file. */
    static final String ABSENT = "absent";

    /** The points of a save at which tests inject failures. */
    enum Step {
        /** The new document is in its temporary file, forced to disk. */
        TEMP_WRITTEN,
        /** The previous document is in {@code state.json.bak}. */
        BACKUP_WRITTEN
    }

    /** Called at each {@link Step} of a save; production code does nothing there. */
    @FunctionalInterface
    interface Checkpoint {
        Checkpoint NONE = step -> {};

        void reached(Step step) throws IOException;
    }

    private final Path directory;
    private final Path stateFile;
    private final Path backupFile;
    private final StateFormat format;
    private final Checkpoint checkpoint;
    private final SecureRandom random;
    /** See {@link #digest()}. */
    private String digest = ABSENT;

    StateFiles(Path directory, Checkpoint checkpoint, SecureRandom random) {
        this(directory.resolve(STATE_FILE), directory.resolve(BACKUP_FILE), StateFormat.PLAIN, checkpoint, random);
    }

    /**
     * The files of a state kept in {@code stateFile}, with its backup in {@code backupFile} (for an encrypted
     * state in the definitions directory, the backup stays in the local state directory, out of git).
     */
    StateFiles(Path stateFile, Path backupFile, StateFormat format, Checkpoint checkpoint, SecureRandom random) {
        this.directory = stateFile.getParent();
        this.stateFile = stateFile;
        this.backupFile = backupFile;
        this.format = format;
        this.checkpoint = checkpoint;
        this.random = random;
    }

    StateFormat format() {
        return format;
    }

    Path stateFile() {
        return stateFile;
    }

    /**
     * Reads {@code state.json}; an absent file is an empty state.
     *
     * @throws StateException a user error naming the file and the position when it does not parse (the
     *     file is left as it is), or an I/O error
     */
    StateDocument load() {
        byte[] content = read();
        if (content == null) {
            digest = ABSENT;
            return StateDocument.empty();
        }
        digest = digest(content);
        try {
            return format.decode(content);
        } catch (StateCodec.MalformedStateException e) {
            throw new StateException(stateFile + " " + e.getMessage() + ". The file was not changed and the"
                    + " build stops here, because generating the state anew would replace every password in it. "
                    + recoveryHint());
        }
    }

    /**
     * A SHA-256 of {@code state.json} as these files last loaded or saved it, hex; {@link #ABSENT}
     * for no file. What was resolved from a state is current while its file has this digest.
     */
    String digest() {
        return digest;
    }

    /** The {@link #digest()} of {@code state.json} as it is now, read without the lock: a save replaces it whole. */
    String digestOnDisk() {
        byte[] content = read();
        return content == null ? ABSENT : digest(content);
    }

    /** The digest of {@code file} as it is now; {@link #ABSENT} when there is none. */
    static String digestOf(Path file) {
        try {
            return digest(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return ABSENT;
        } catch (IOException e) {
            throw StateException.io("Cannot read state file " + file, e);
        }
    }

    /** The bytes of {@code state.json}, {@code null} when there is none. */
    private byte[] read() {
        try {
            return Files.readAllBytes(stateFile);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw StateException.io("Cannot read state file " + stateFile, e);
        }
    }

    /** The SHA-256 of {@code content}, hex. */
    static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private String recoveryHint() {
        Path backup = backupFile;
        if (Files.isRegularFile(backup)) {
            return "The previous version is in " + backup + ": compare the two and, if the backup is right,"
                    + " copy it over " + stateFile.getFileName() + "; otherwise repair the JSON by hand.";
        }
        return "There is no " + backup.getFileName() + " next to it: repair the JSON by hand or restore the file"
                + " from your own backup (for a state in git: git log -p -- " + stateFile.getFileName() + ").";
    }

    /**
     * Replaces {@code state.json} by {@code content} atomically, keeping the previous file as
     * {@code state.json.bak}.
     *
     * @throws StateException an I/O error, or the file changed since it was loaded or saved here;
     *     {@code state.json} is then unchanged and no temporary file is left behind
     */
    void save(byte[] content) {
        // under the lock nothing else writes the file; what did (a git pull, a build that locks another
        // directory for a shared encrypted state) is not overwritten with this build's older view
        if (!digestOnDisk().equals(digest)) {
            throw new StateException(stateFile + " changed since this build read it (another build, or a git pull"
                    + " meanwhile): nothing was written, so that no value of the other writer is lost. Run again: the"
                    + " build then starts from the file as it is now");
        }
        Path temp = directory.resolve(stateFile.getFileName() + ".tmp-" + token());
        Path backupTemp = backupFile.resolveSibling(backupFile.getFileName() + ".tmp-" + token());
        try {
            Files.createDirectories(directory, Permissions.directoryAttributes(directory));
            writeDurably(temp, content);
            checkpoint.reached(Step.TEMP_WRITTEN);
            if (Files.exists(stateFile)) {
                // The backup is replaced atomically too, so that it is always a complete earlier document.
                writeDurably(backupTemp, Files.readAllBytes(stateFile));
                Files.move(backupTemp, backupFile, StandardCopyOption.ATOMIC_MOVE);
                checkpoint.reached(Step.BACKUP_WRITTEN);
            }
            Files.move(temp, stateFile, StandardCopyOption.ATOMIC_MOVE);
            digest = digest(content);
            forceDirectory();
        } catch (IOException e) {
            throw StateException.io("Cannot write state file " + stateFile + " (it was left unchanged)", e);
        } finally {
            deleteQuietly(temp);
            deleteQuietly(backupTemp);
        }
    }

    /** Removes temporary files a killed save may have left; only ever called under the state's lock. */
    void removeStaleTemporaryFiles() {
        removeStale(directory, stateFile.getFileName() + ".*tmp-*");
        removeStale(backupFile.getParent(), backupFile.getFileName() + ".tmp-*");
    }

    private static void removeStale(Path dir, String glob) {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, glob)) {
            for (Path path : stale) {
                deleteQuietly(path);
            }
        } catch (IOException e) {
            // Leftovers are harmless: they are never read.
        }
    }

    private void writeDurably(Path path, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(
                path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                Permissions.fileAttributes(path))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not possible on every platform (Windows); the rename has happened either way.
        }
    }

    private String token() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover temporary file is removed by the next session (removeStaleTemporaryFiles).
        }
    }
}

package io.facsimile.core.deploy.ssh;

import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.Durations;
import io.facsimile.core.deploy.ExecResult;
import io.facsimile.core.deploy.FileStat;
import io.facsimile.core.deploy.FindListing;
import io.facsimile.core.deploy.GuardScripts;
import io.facsimile.core.deploy.Layout;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.Shell;
import io.facsimile.core.deploy.Transport;
import io.facsimile.core.release.FileMode;
import io.facsimile.core.release.Manifest;
import io.facsimile.core.release.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A {@link Transport} to a deploy home on a node over one SSH session: SFTP for reading and writing
 * files (uploads go to a temporary file, get their mode, and are renamed over the target with
 * OpenSSH's {@code posix-rename}), files created with their mode, and exec
 * channels running POSIX shell commands for the rest ({@code find} + {@code sha256sum} for a scan,
 * {@code ln -s} and {@code mv -T} for the {@code current} switch, {@code rm -rf}, postcmd, and a
 * {@code flock} held by a remote process for the deploy lock). Every path and argument is quoted for
 * {@code sh}. The node needs a POSIX shell, GNU coreutils and findutils, and util-linux {@code flock}.
 *
 * <p>Open one with {@link SshTransportFactory}. Used by one thread; {@link #close()} ends the session.
 */
public final class SshTransport implements Transport {

    /** The bound of the command that switches {@code current} and appends the deploy log's line. */
    static final Duration SWITCH_BOUND = Duration.ofSeconds(30);

    /** Exit status of the unpack command when the node lacks GNU tar or find: nothing was read or written. */
    private static final int NO_TOOLS = 97;

    private final Node node;
    private final String home;
    private final String user;
    private final SshClient client;
    private final ClientSession session;
    private SftpClient sftp;
    private final java.util.Set<String> realDirs = new java.util.HashSet<>();
    private OpenSSHPosixRenameExtension posixRename;
    /** Whether the node has GNU tar and find (the bulk path); unknown until the first unpack asks. */
    private Boolean batch;

    private String batchless;
    /** What the lock's program saw of the home, while nothing has changed it; see {@link NodeLook}. */
    private NodeLook look;
    /**
     * The release dir last found listed exactly as it was staged ({@link ListingDigest#SAME}), while nothing
     * has changed it: a staged release holds files and directories only, so no name below it is a link.
     */
    private String asStaged;

    private final TarCache tars;
    private String tar = "tar";

    SshTransport(Node node, String home, String user, SshClient client, ClientSession session, TarCache tars) {
        this.tars = tars;
        this.node = node;
        this.home = stripSlash(home);
        this.user = user;
        this.client = client;
        this.session = session;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public String describeHome() {
        return user + "@" + node.host() + (node.port() == 22 ? "" : ":" + node.port()) + ":" + home;
    }

    @Override
    public boolean exists(String path) {
        String p = resolve(path);
        Character looked = looked(p);
        if (looked != null) {
            return looked != '-';
        }
        try {
            sftp().lstat(p);
            return true;
        } catch (IOException e) {
            if (isNoSuchFile(e)) {
                return false;
            }
            throw failure("cannot look at " + p, e);
        }
    }

    @Override
    public boolean hasUnconfirmedSwitch() {
        // what the lock's program saw, while nothing has changed .facsimile since
        return looked(home + "/" + Layout.META_DIR) != null
                ? look.unconfirmed()
                : Transport.super.hasUnconfirmedSwitch();
    }

    @Override
    public List<String> list(String dir) {
        String d = resolveAll(dir);
        try {
            if (!sftp().lstat(d).isDirectory()) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (SftpClient.DirEntry e : sftp().readDir(d)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    names.add(e.getFilename());
                }
            }
            names.sort(null);
            return names;
        } catch (IOException e) {
            if (isNoSuchFile(e)) {
                return List.of();
            }
            throw failure("cannot list " + d, e);
        }
    }

    @Override
    public Manifest scan(String dir, Predicate<String> include) {
        String d = resolveAll(dir);
        // First the names (cheap), then hashes of the included files only: an excluded 2 GB log is never read.
        ExecResult listing = run(
                "[ -d " + Shell.quote(d) + " ] && [ ! -L " + Shell.quote(d) + " ] || exit 3; cd -- " + Shell.quote(d)
                        + " && find . -mindepth 1 -type f -printf '%m %s %P\\0'",
                null);
        if (listing.exitCode() == 3) {
            return new Manifest(List.of());
        }
        require(listing, "cannot list the files below " + d);
        Map<String, Boolean> dirs = new HashMap<>();
        Map<String, String[]> files = new java.util.LinkedHashMap<>();
        for (String record : listing.stdout().split("\0")) {
            if (record.isEmpty()) {
                continue;
            }
            String[] parts = record.split(" ", 3);
            if (parts.length == 3 && included(parts[2], include, dirs)) {
                files.put(parts[2], parts);
            }
        }
        if (files.isEmpty()) {
            return new Manifest(List.of());
        }
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        for (String path : files.keySet()) {
            names.writeBytes(("./" + path).getBytes(StandardCharsets.UTF_8));
            names.write(0);
        }
        ExecResult sums = run("cd -- " + Shell.quote(d) + " && xargs -0 -r sha256sum -z --", names.toByteArray());
        require(sums, "cannot compute the sha256 of the files below " + d);
        List<ManifestEntry> entries = new ArrayList<>();
        for (String line : sums.stdout().split("\0")) {
            if (line.length() < 67) {
                continue;
            }
            String hash = line.substring(0, 64);
            String path = line.substring(66);
            path = path.startsWith("./") ? path.substring(2) : path;
            String[] meta = files.get(path);
            if (meta == null) {
                throw DeployException.broken("unexpected line from sha256sum on " + node.name() + ": " + line, null);
            }
            int mode = Integer.parseInt(meta[0], 8) & 0777;
            entries.add(new ManifestEntry(path, Long.parseLong(meta[1]), new FileMode(mode).octal(), hash, false));
        }
        if (entries.size() != files.size()) {
            throw DeployException.broken(
                    "sha256sum on " + node.name() + " hashed " + entries.size() + " of "
                            + files.size()
                            + " files below " + d + "; were files removed during the scan?",
                    null);
        }
        return new Manifest(entries);
    }

    private static boolean included(String path, Predicate<String> include, Map<String, Boolean> dirs) {
        int slash = path.indexOf('/');
        while (slash >= 0) {
            String prefix = path.substring(0, slash + 1);
            if (!dirs.computeIfAbsent(prefix, include::test)) {
                return false;
            }
            slash = path.indexOf('/', slash + 1);
        }
        return include.test(path);
    }

    @Override
    public Map<String, FileStat> stat(String dir) {
        return listingIn(dir, FindListing.COMMAND).orElseThrow(); // a listing is never SAME
    }

    /**
     * The listing of {@link #stat} and the hashes of {@link #sha256} from one command on the node: the
     * hashes follow the listing after an empty record.
     */
    @Override
    public Listing listAndHash(String dir, java.util.Collection<String> paths) {
        String d = resolveAll(dir);
        ExecResult result = run(listing(d) + " && printf '\\0' && xargs -0 -r sha256sum -z --", names(dir, paths));
        if (result.exitCode() == 3) {
            return new Listing(new java.util.TreeMap<>(), Map.of());
        }
        require(result, "cannot list and hash the files below " + d);
        return listingAndSums(result.stdout(), d);
    }

    /** Reads a listing, an empty record, then {@code sha256sum -z} lines of {@code ./path} names. */
    private Listing listingAndSums(String out, String d) {
        String[] parts = twoParts(out, d);
        return new Listing(FindListing.parse(parts[0]), parseSums(parts[1]));
    }

    /**
     * Splits the output of a command that prints NUL-terminated records, an empty record, then more records,
     * at that empty record.
     */
    private String[] twoParts(String out, String d) {
        int end = out.startsWith("\0") ? 0 : out.indexOf("\0\0") + 1;
        if (end == 0 && !out.startsWith("\0")) {
            throw DeployException.broken("the listing of " + d + " on " + node.name() + " has no end", null);
        }
        return new String[] {out.substring(0, end), out.substring(end + 1)};
    }

    /**
     * Checks, before anything is sent, that every name of a tar stream stays below {@code dir} and that every
     * mode is one the node can be given.
     */
    private void checkNames(String dir, List<ManifestEntry> files, Map<String, byte[]> records) {
        for (ManifestEntry e : files) {
            modeBits(e.mode(), e.path());
            absolute(Layout.join(dir, e.path()));
        }
        records.keySet().forEach(path -> absolute(Layout.join(dir, path)));
    }

    /**
     * The new files and the release's records as one tar stream, unpacked by the node's GNU tar into the
     * freshly created {@code dir}, which the same command then lists, hashing every file in it (all of
     * them came from the stream): one program for the whole upload. File by file over SFTP when the node
     * has no GNU tar and find.
     */
    @Override
    public Listing uploadListAndHash(
            String dir, Path tree, List<ManifestEntry> files, Map<String, byte[]> records, Progress progress) {
        if (batch == Boolean.FALSE) {
            return Transport.super.uploadListAndHash(dir, tree, files, records, progress);
        }
        checkNames(dir, files, records);
        CountedProgress counted = new CountedProgress(progress);
        ExecResult result = unpack(
                dir,
                tars.input(tree, files, records, counted),
                " && " + FindListing.COMMAND + " && printf '\\0'"
                        + " && find -P . -type f -print0 | xargs -0 -r sha256sum -z --");
        if (result == null) {
            // The node refused the stream before reading it; what went into the channel counts once.
            return Transport.super.uploadListAndHash(dir, tree, files, records, counted.skipping());
        }
        return listingAndSums(result.stdout(), resolveAll(dir));
    }

    /** {@link Transport#replaceListAndHash} as one command: see {@link #stageInOne}. */
    @Override
    public Listing replaceListAndHash(
            String dir,
            java.util.Collection<String> remove,
            Path tree,
            List<ManifestEntry> files,
            Map<String, byte[]> records,
            Progress progress) {
        if (batch == Boolean.FALSE) {
            return Transport.super.replaceListAndHash(dir, remove, tree, files, records, progress);
        }
        CountedProgress counted = new CountedProgress(progress);
        Listing listing = stageInOne(dir, names(dir, remove), null, List.of(), tree, files, records, counted);
        // null: the node refused the stream before reading it; what went into the channel counts once
        return listing != null
                ? listing
                : Transport.super.replaceListAndHash(dir, remove, tree, files, records, counted.skipping());
    }

    /** {@link Transport#uploadCopyListAndHash} as one command: see {@link #stageInOne}. */
    @Override
    public Listing uploadCopyListAndHash(
            String dir,
            Path tree,
            List<ManifestEntry> files,
            Map<String, byte[]> records,
            String fromDir,
            List<String> copies,
            Progress progress) {
        if (batch == Boolean.FALSE) {
            return Transport.super.uploadCopyListAndHash(dir, tree, files, records, fromDir, copies, progress);
        }
        CountedProgress counted = new CountedProgress(progress);
        Listing listing = stageInOne(dir, new byte[0], fromDir, copies, tree, files, records, counted);
        // null: the node refused the stream before reading it; what went into the channel counts once
        return listing != null
                ? listing
                : Transport.super.uploadCopyListAndHash(dir, tree, files, records, fromDir, copies, counted.skipping());
    }

    /**
     * Stages a release in {@code dir} with one command. Its input holds, one after the other, the names to
     * remove, the names to copy from {@code fromDir}, the names of the files sent (each list read by
     * {@code head -c}, which reads exactly that many bytes; the last two into the staging dir's records)
     * and the tar stream. The names are removed before the unpack; once it is done the files are copied
     * ({@code cp -P}: a link is copied as a link, which the listing then shows), the sent ones hashed, the
     * lists removed and the release listed: the sums come first in the output, then the listing.
     *
     * @param fromDir where the copies come from; {@code null} when there are none
     * @return the listing and the sums, or {@code null} when the node has no GNU tar and find (nothing was
     *     read or written)
     */
    private Listing stageInOne(
            String dir,
            byte[] removals,
            String fromDir,
            List<String> copies,
            Path tree,
            List<ManifestEntry> files,
            Map<String, byte[]> records,
            CountedProgress counted) {
        checkNames(dir, files, records);
        String d = resolveAll(dir);
        byte[] copying = fromDir == null ? new byte[0] : copyNames(fromDir, copies);
        byte[] sent = names(dir, files.stream().map(ManifestEntry::path).toList());
        Input archive = tars.input(tree, files, records, counted);
        String copyList = Shell.quote(d + "/" + Layout.META_DIR + "/copies");
        String sentList = Shell.quote(d + "/" + Layout.META_DIR + "/sent");
        String before =
                (removals.length == 0 ? "" : "head -c " + removals.length + " | xargs -0 -r rm -rf -- || exit 1; ")
                        + "mkdir -p ./" + Layout.META_DIR + " && "
                        + (fromDir == null ? "" : "head -c " + copying.length + " > " + copyList + " && ")
                        + "head -c " + sent.length + " > " + sentList + " || exit 1; ";
        String copy = fromDir == null
                ? ""
                : " && (cd -P -- " + Shell.quote(resolveAll(fromDir))
                        + " && xargs -0 -r cp -P -p --reflink=auto --parents -t " + Shell.quote(d) + " -- < " + copyList
                        + ")";
        ExecResult result = unpack(
                dir,
                before,
                out -> {
                    out.write(removals);
                    out.write(copying);
                    out.write(sent);
                    archive.writeTo(out);
                },
                copy + " && xargs -0 -r sha256sum -z -- < " + sentList + " && printf '\\0' && rm -f -- " + sentList
                        + (fromDir == null ? "" : " " + copyList) + " && "
                        + FindListing.COMMAND);
        if (result == null) {
            return null;
        }
        String[] parts = twoParts(result.stdout(), d);
        return new Listing(FindListing.parse(parts[1]), parseSums(parts[0]));
    }

    /** Lists {@code d} (exit 3 when it is not a directory, or a link to one); links are listed, never entered. */
    private static String listing(String d) {
        return inDirectory(d) + FindListing.COMMAND;
    }

    /** Enters directory {@code d}, which must be one and no link (exit 3 otherwise), for the command after it. */
    private static String inDirectory(String d) {
        return "[ -d " + Shell.quote(d) + " ] && [ ! -L " + Shell.quote(d) + " ] || exit 3; cd -P -- " + Shell.quote(d)
                + " && ";
    }

    /**
     * {@link #stat}, asked of the node only when it finds the release unlike its {@link ListingDigest}: one
     * command either way, whose answer is a short {@code SAME} for a release as it was staged.
     */
    @Override
    public Optional<Map<String, FileStat>> statUnlessAsStaged(String dir, String id) {
        String d = resolveAll(dir);
        Optional<Map<String, FileStat>> listed = look != null
                        && look.answer() != null
                        && d.equals(look.release())
                        && d.equals(home + "/" + Layout.RELEASES + "/" + id)
                ? answer(look.answer())
                : listingIn(dir, ListingDigest.command(id));
        asStaged = listed.isEmpty() ? d : null;
        return listed;
    }

    /**
     * Runs {@code command} in {@code dir} (no link): empty when it answers {@link ListingDigest#SAME}, else
     * its listing; an empty listing when {@code dir} is not a directory.
     */
    private Optional<Map<String, FileStat>> listingIn(String dir, String command) {
        String d = resolveAll(dir);
        ExecResult listing = run(inDirectory(d) + command, null);
        if (listing.exitCode() == 3) {
            return Optional.of(new java.util.TreeMap<>());
        }
        require(listing, "cannot list the files below " + d);
        return answer(listing.stdout());
    }

    /** What a {@link ListingDigest#command} printed: empty for {@link ListingDigest#SAME}, else the listing. */
    private static Optional<Map<String, FileStat>> answer(String printed) {
        if (printed.equals(ListingDigest.SAME + "\n")) {
            return Optional.empty();
        }
        return Optional.of(FindListing.parse(printed));
    }

    @Override
    public Optional<String> listingDigest(String id, Map<String, FileStat> listing) {
        return ListingDigest.of(id, listing);
    }

    @Override
    public void makeDirs(String dir) {
        String d = resolveAll(dir);
        try {
            mkdirs(d);
        } catch (IOException e) {
            throw failure("cannot create directory " + d, e);
        }
    }

    /**
     * {@code mkdir -p} over SFTP: a process per directory costs a few hundred milliseconds on a busy
     * node, an SFTP round trip well under one.
     */
    private void mkdirs(String dir) throws IOException {
        try {
            SftpClient.Attributes attrs = sftp().lstat(dir);
            if (attrs.isDirectory()) {
                return;
            }
            if (attrs.isSymbolicLink() && dir.startsWith(home + "/")) {
                throw DeployException.plantedLink(dir + " on " + node.name(), home);
            }
            throw new IOException(dir + " exists and is not a directory");
        } catch (SftpException e) {
            if (!isNoSuchFile(e)) {
                throw e;
            }
        }
        String parent = parent(dir);
        if (!parent.equals(dir)) {
            mkdirs(parent);
        }
        changing(dir);
        try {
            sftp().mkdir(dir);
        } catch (IOException e) {
            // created meanwhile by someone else is fine
            if (!sftp().lstat(dir).isDirectory()) {
                throw e;
            }
        }
    }

    @Override
    public void upload(String path, InputStream content, long size, String mode) {
        String target = resolve(path);
        int bits = modeBits(mode, path);
        String tmp = parent(target) + "/" + Layout.temporaryName();
        try {
            // Created with its mode (the node's umask may narrow it, never widen it), then set exactly.
            createWithMode(tmp, bits, content);
            SftpClient.Attributes attrs = new SftpClient.Attributes();
            attrs.setPermissions(bits);
            changing(tmp);
            sftp().setStat(tmp, attrs);
            renameAbsolute(tmp, target);
        } catch (IOException | RuntimeException e) {
            try {
                sftp().remove(tmp);
            } catch (IOException | RuntimeException ignored) {
                // The temporary file is never live; the next deploy of this release stages again.
            }
            throw e instanceof DeployException de ? de : failure("cannot write " + target, e);
        }
    }

    private void createWithMode(String file, int bits, InputStream content) throws IOException {
        changing(file);
        try {
            CreateWithMode.write(sftp(), file, bits, content);
        } catch (IOException e) {
            if (!isNoSuchFile(e)) {
                throw e;
            }
            mkdirs(parent(file));
            CreateWithMode.write(sftp(), file, bits, content);
        }
    }

    /**
     * The new files as one tar stream over one exec channel, unpacked by the node's GNU tar into the
     * freshly created {@code dir}; file by file over SFTP when the node has no GNU tar and find. The
     * same command checks the tools first and unpacks: no program of its own asks for them.
     */
    @Override
    public void uploadAll(String dir, Path tree, List<ManifestEntry> files, Progress progress) {
        uploadAll(dir, tree, files, Map.of(), progress);
    }

    /** The same, the records in the same tar stream. */
    @Override
    public void uploadAll(
            String dir, Path tree, List<ManifestEntry> files, Map<String, byte[]> records, Progress progress) {
        if (files.isEmpty() && records.isEmpty()) {
            return;
        }
        Progress fallback = progress;
        if (batch != Boolean.FALSE) {
            checkNames(dir, files, records);
            CountedProgress counted = new CountedProgress(progress);
            if (unpack(dir, tars.input(tree, files, records, counted), "") != null) {
                return;
            }
            // The node refused the stream before reading it; what went into the channel counts once.
            fallback = counted.skipping();
        }
        fallback.note("the node has no GNU tar and find" + (batchless == null ? "" : " (" + batchless + ")")
                + "; sending file by file over SFTP");
        Transport.super.uploadAll(dir, tree, files, fallback);
        records.forEach((path, content) -> writeFile(Layout.join(dir, path), content));
    }

    /**
     * Unpacks a tar stream into {@code dir}, which must hold nothing but regular files and directories (a
     * directory just created, or a recycled release that passed its check: so that nothing in it can be a
     * link it did not create), with the node's own tar: names with {@code ..} are refused, a leading
     * {@code /} is a refusal too (tar's warning fails the command), a link entry is created as a
     * placeholder so nothing is written through it, and no existing file is overwritten. Modes and times
     * come from the archive (a time in the node's future, a clock skew, is no warning), the owner is the
     * login user. Anything but files and directories left behind fails the command.
     *
     * @return {@code false} when the node has no GNU tar and find: the command ended before it read the
     *     stream or touched {@code dir}
     */
    boolean unpack(String dir, Input archive) {
        return unpack(dir, archive, "") != null;
    }

    private ExecResult unpack(String dir, Input archive, String then) {
        return unpack(dir, "", archive, then);
    }

    /**
     * Unpacks as {@link #unpack(String, Input)} does, after running {@code before} in {@code dir} (commands
     * each ending in {@code ;}, reading their part of the input first, or nothing), then runs {@code then}
     * (a command list starting with {@code &&}, or nothing) in {@code dir}.
     *
     * @return the command's result, or {@code null} when the node has no GNU tar and find
     */
    private ExecResult unpack(String dir, String before, Input archive, String then) {
        String d = resolveAll(dir);
        forget(d);
        ExecResult result = stream(
                "nl='\n'; t=$(" + tar
                        + " --version 2>&1); f=$(find --version 2>&1); v=\"${t%%$nl*} ${f%%$nl*}\"; case \"$v\" in "
                        + "*'GNU tar'*'GNU findutils'*) ;; *) printf '%s\\n' \"$v\"; exit " + NO_TOOLS + ";; esac; "
                        + "cd -P -- " + Shell.quote(d) + " || exit 1; "
                        + before
                        + "odd=$(find -P . -mindepth 1 ! -type f ! -type d -print -quit); if [ -n \"$odd\" ]; then "
                        + "echo \"the staging directory holds something other than files and directories: $odd\"; "
                        + "exit 1; fi; "
                        + "out=$(" + tar + " -x -f - -p --no-same-owner --keep-old-files --warning=no-timestamp 2>&1); "
                        + "s=$?; if [ $s -ne 0 ] || [ -n \"$out\" ]; then printf '%s\\n' \"$out\"; exit 1; fi; "
                        + "odd=$(find -P . -mindepth 1 ! -type f ! -type d -print -quit); "
                        + "if [ -n \"$odd\" ]; then echo \"not a regular file or directory: $odd\"; exit 1; fi"
                        + (then.isEmpty() ? "" : "; true" + then),
                archive);
        if (result.exitCode() == NO_TOOLS) {
            batchless = missingTools(result.output());
            batch = false;
            return null;
        }
        require(result, "cannot unpack the release into " + d);
        batch = true;
        return result;
    }

    /** One {@code sha256sum} over the NUL-separated names, on the node. */
    @Override
    public Map<String, String> sha256(String dir, java.util.Collection<String> paths) {
        if (paths.isEmpty()) {
            return new HashMap<>();
        }
        String d = resolveAll(dir);
        ExecResult result = run("cd -P -- " + Shell.quote(d) + " && xargs -0 -r sha256sum -z --", names(dir, paths));
        require(result, "cannot hash the files sent to " + d);
        return parseSums(result.stdout());
    }

    /** The paths below {@code dir}, each checked to stay below it, as NUL-terminated {@code ./path} for xargs. */
    private byte[] names(String dir, java.util.Collection<String> paths) {
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        for (String p : paths) {
            absolute(Layout.join(dir, p));
            names.writeBytes(("./" + p).getBytes(StandardCharsets.UTF_8));
            names.write(0);
        }
        return names.toByteArray();
    }

    /** Reads the output of {@code sha256sum -z} of {@code ./path} names: path → hash. */
    private static Map<String, String> parseSums(String output) {
        Map<String, String> sums = new HashMap<>();
        for (String line : output.split("\0")) {
            if (line.length() > 68 && line.startsWith("./", 66)) {
                sums.put(line.substring(68), line.substring(0, 64));
            }
        }
        return sums;
    }

    /** What the version lines of {@code tar} and {@code find} say is missing, or {@code null} when nothing is. */
    static String missingTools(String versions) {
        boolean tar = versions.contains("GNU tar");
        boolean find = versions.contains("GNU findutils");
        return tar && find ? null : !tar && !find ? "no tar, no find" : !tar ? "no GNU tar" : "no GNU find";
    }

    /** Makes this transport send file by file over SFTP, as to a node without GNU tar; for tests. */
    SshTransport withoutBatch() {
        batch = false;
        batchless = "switched off";
        return this;
    }

    /** Makes this transport call the node's tar by another name, as on a node whose tar is not GNU tar; for tests. */
    SshTransport withTar(String command) {
        tar = command;
        return this;
    }

    /**
     * Counts the files reported while a tar stream is written; when the node refuses the stream, the
     * files sent again one by one are reported only past that count, so that each counts once.
     */
    private static final class CountedProgress implements Progress {
        private final Progress progress;
        private final java.util.concurrent.atomic.AtomicInteger files = new java.util.concurrent.atomic.AtomicInteger();

        CountedProgress(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void sent(long bytes) {
            files.incrementAndGet();
            progress.sent(bytes);
        }

        @Override
        public void note(String message) {
            progress.note(message);
        }

        Progress skipping() {
            java.util.concurrent.atomic.AtomicInteger skip = new java.util.concurrent.atomic.AtomicInteger(files.get());
            return new Progress() {
                @Override
                public void sent(long bytes) {
                    if (skip.getAndDecrement() <= 0) {
                        progress.sent(bytes);
                    }
                }

                @Override
                public void note(String message) {
                    progress.note(message);
                }
            };
        }
    }

    /**
     * One {@code cp} for many files on the node: {@code cp -P -p --reflink=auto --parents} from the source directory
     * (a clone where the file system can: its own inode all the same),
     * names given NUL-separated on stdin through {@code xargs -0}, so that 10,000 unchanged files cost
     * a few processes, not 10,000 round trips.
     */
    @Override
    public void copyAll(String fromDir, String toDir, List<String> paths) {
        if (paths.isEmpty()) {
            return;
        }
        String from = resolveAll(fromDir);
        String to = resolveAll(toDir);
        require(
                run(
                        "mkdir -p -- " + Shell.quote(to) + " && cd -P -- " + Shell.quote(from)
                                + " && xargs -0 -r cp -P -p --reflink=auto --parents -t " + Shell.quote(to) + " --",
                        copyNames(fromDir, paths)),
                "cannot copy files from " + from + " to " + to);
    }

    /**
     * {@link #copyAll} and {@link #listAndHash} as one command: the names to copy and the names to hash go
     * one after the other on its standard input, the first {@code head -c} bytes for {@code cp} (head reads
     * exactly that many), the rest for {@code sha256sum}.
     */
    @Override
    public Listing copyListAndHash(
            String fromDir, String toDir, List<String> paths, java.util.Collection<String> hashed) {
        String from = resolveAll(fromDir);
        String to = resolveAll(toDir);
        byte[] copies = copyNames(fromDir, paths);
        byte[] sums = names(toDir, hashed);
        byte[] input = java.util.Arrays.copyOf(copies, copies.length + sums.length);
        System.arraycopy(sums, 0, input, copies.length, sums.length);
        ExecResult result = run(
                "mkdir -p -- " + Shell.quote(to) + " && cd -P -- " + Shell.quote(from) + " && head -c " + copies.length
                        + " | xargs -0 -r cp -P -p --reflink=auto --parents -t " + Shell.quote(to) + " -- || exit 1; "
                        + listing(to) + " && printf '\\0' && xargs -0 -r sha256sum -z --",
                input);
        require(result, "cannot copy files from " + from + " to " + to + " and list them");
        return listingAndSums(result.stdout(), to);
    }

    /** The paths to copy from {@code fromDir}, each checked to stay below it, NUL-terminated. */
    private byte[] copyNames(String fromDir, List<String> paths) {
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        for (String p : paths) {
            resolve(Layout.join(fromDir, p));
            names.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            names.write(0);
        }
        return names.toByteArray();
    }

    @Override
    public void remove(String path) {
        String p = resolve(path);
        if (p.equals(home)) {
            throw new IllegalArgumentException("refusing to remove the deploy home " + home);
        }
        forget(p);
        changing(p);
        try {
            SftpClient.Attributes attrs = sftp().lstat(p);
            if (!attrs.isDirectory()) {
                sftp().remove(p);
                return;
            }
        } catch (IOException e) {
            if (isNoSuchFile(e)) {
                return;
            }
            // let rm say what is wrong
        }
        require(run("rm -rf -- " + Shell.quote(p), null), "cannot remove " + p);
    }

    /** One {@code rm -rf} for all of them, the names NUL-separated on its standard input through {@code xargs -0}. */
    @Override
    public void removeAll(String dir, java.util.Collection<String> paths) {
        if (paths.isEmpty()) {
            return;
        }
        String d = resolveAll(dir);
        forget(d);
        require(
                run("cd -P -- " + Shell.quote(d) + " && xargs -0 -r rm -rf --", names(dir, paths)),
                "cannot remove files in " + d);
    }

    @Override
    public void rename(String from, String to) {
        String source = resolve(from);
        String target = resolve(to);
        forget(source);
        forget(target);
        renameAbsolute(source, target);
    }

    /**
     * rename(2) on the node: OpenSSH's {@code posix-rename@openssh.com} is exactly that call, in one
     * SFTP round trip; without it, {@code mv -T}, which renames exactly this name and never moves
     * it "into" a directory that happens to be there.
     */
    private void renameAbsolute(String source, String target) {
        changing(source);
        changing(target);
        if (posixRename() != null) {
            try {
                posixRename().posixRename(source, target);
                return;
            } catch (IOException e) {
                throw failure("cannot rename " + source + " to " + target, e);
            }
        }
        require(
                run("mv -T -f -- " + Shell.quote(source) + " " + Shell.quote(target), null),
                "cannot rename " + source + " to " + target);
    }

    @Override
    public void symlink(String link, String target) {
        String l = resolve(link);
        // ln -s would put the link inside a directory (or a link to one) that is in the way
        require(
                run(
                        "if [ -e " + Shell.quote(l) + " ] || [ -L " + Shell.quote(l)
                                + " ]; then echo something is in the way;" + " exit 1; fi; ln -s -- "
                                + Shell.quote(target) + " " + Shell.quote(l),
                        null),
                "cannot create symbolic link " + l);
    }

    /**
     * {@link Transport#switchAndLog} as one command in the home, the switch and the log's line, bounded by
     * {@link #SWITCH_BOUND}. When the command ends otherwise than by switching or by refusing to (killed,
     * past its bound, its connection lost), {@code current} is read back to know whether it was switched.
     */
    @Override
    public boolean switchAndLog(String link, String target, String log, String line) {
        resolve(link);
        makeDirs(Layout.parent(log)); // no link; a log that is one is left alone
        ExecResult result;
        try {
            result = exec("", GuardScripts.switchAndLog(link, target, log, line), SWITCH_BOUND);
        } catch (DeployException lost) {
            return switchedAnyway(target, log, line, null, lost);
        }
        if (result.ok()) {
            return result.said("LOGGED");
        }
        if (result.exitCode() == GuardScripts.NOT_SWITCHED) {
            throw DeployException.broken(
                    "cannot switch current to " + target + " on " + node.name() + " (exit " + result.exitCode() + "): "
                            + result.output().strip(),
                    null);
        }
        return switchedAnyway(target, log, line, result, null);
    }

    /**
     * After a switch command that ended uncertainly: whether {@code current} names {@code target} now
     * (and then whether {@code log} holds the command's {@code line}, which names this moment: one that
     * ended between its append and its answer has logged), or a failure saying what is known.
     */
    private boolean switchedAnyway(String target, String log, String line, ExecResult result, DeployException lost) {
        String why = result == null
                ? lost.getMessage()
                : result.timedOut()
                        ? "it did not end within " + SWITCH_BOUND.toSeconds() + " s"
                        : "exit " + result.exitCode() + ": " + result.output().strip();
        Optional<String> now;
        try {
            now = readLink(Layout.CURRENT);
        } catch (RuntimeException e) {
            DeployException unknown = DeployException.broken(
                    "the switch of current to " + target + " on " + node.name() + " did not finish (" + why
                            + ") and current cannot be read back: it may point to " + target
                            + " already; facsimile:verify tells",
                    lost);
            unknown.addSuppressed(e);
            throw unknown;
        }
        if (now.equals(Optional.of(target))) {
            return result != null && result.said("LOGGED") || logHolds(log, line);
        }
        // a command past its bound is left running on the node, and may switch after this look
        String still = result != null && result.timedOut()
                ? "; the command may still be running there and switch it later: facsimile:verify tells"
                : "";
        throw DeployException.broken(
                "cannot switch current to " + target + " on " + node.name() + " (" + why + ")" + still, lost);
    }

    /**
     * Whether the deploy log {@code log}, when it is a plain file, holds {@code line} as a line of its own;
     * {@code false} when it cannot be read (the deploy then appends the line itself: twice at worst).
     */
    private boolean logHolds(String log, String line) {
        try {
            return readLink(log).isEmpty()
                    && readFile(log)
                            .map(bytes ->
                                    ("\n" + new String(bytes, StandardCharsets.UTF_8)).contains("\n" + line + "\n"))
                            .orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<String> readLink(String link) {
        String l = resolve(link);
        Character looked = looked(l);
        if (looked != null && looked != 'l') {
            return Optional.empty();
        }
        if (looked != null && l.equals(home + "/" + Layout.CURRENT)) {
            return look.current();
        }
        try {
            if (!sftp().lstat(l).isSymbolicLink()) {
                return Optional.empty();
            }
            return Optional.of(sftp().readLink(l));
        } catch (IOException e) {
            if (isNoSuchFile(e)) {
                return Optional.empty();
            }
            throw failure("cannot read link " + l, e);
        }
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        String p = resolveAll(path);
        try (InputStream in = sftp().read(p)) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            if (isNoSuchFile(e)) {
                return Optional.empty();
            }
            throw failure("cannot read " + p, e);
        }
    }

    @Override
    public void appendFile(String path, byte[] content) {
        String p = resolveAll(path);
        require(
                run("mkdir -p -- " + Shell.quote(parent(p)) + " && cat >> " + Shell.quote(p), content),
                "cannot append to " + p);
    }

    @Override
    public ExecResult exec(String dir, String command) {
        String d = resolveAll(dir);
        return run("cd -- " + Shell.quote(d) + " && exec sh -c " + Shell.quote(command), null);
    }

    @Override
    public ExecResult exec(String dir, String command, Duration timeout) {
        String d = resolveAll(dir);
        return run("cd -- " + Shell.quote(d) + " && exec sh -c " + Shell.quote(command), null, timeout);
    }

    @Override
    public DeployLock lock(String holder, Duration wait, Consumer<String> waiting) {
        return RemoteLock.acquire(this, home, holder, wait, waiting, false);
    }

    /** The lock, and in the same program on the node a {@link NodeLook} at the home. */
    @Override
    public DeployLock lockForDeploy(String holder, Duration wait, Consumer<String> waiting) {
        return RemoteLock.acquire(this, home, holder, wait, waiting, true);
    }

    /** Keeps what the lock's program saw, until a command runs or a change reaches it. */
    void looked(NodeLook look) {
        this.look = look;
    }

    /** The type the look saw at {@code abs} ({@code d}, {@code l}, {@code f}, or {@code -} absent), or {@code null}. */
    private Character looked(String abs) {
        return look == null ? null : look.types().get(abs);
    }

    /**
     * Drops the look when a change at {@code abs} reaches what it saw: a path it looked at, one above it,
     * or one below the release it listed.
     */
    private void changing(String abs) {
        if (look != null && look.touchedBy(abs)) {
            look = null;
        }
        if (asStaged != null
                && (abs.equals(asStaged) || abs.startsWith(asStaged + "/") || asStaged.startsWith(abs + "/"))) {
            asStaged = null;
        }
    }

    @Override
    public void close() {
        try {
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException ignored) {
            // The session goes next, and takes the channel with it.
        }
        try {
            session.close();
        } catch (IOException ignored) {
            // Closing a broken session: nothing left to do.
        } finally {
            client.stop();
        }
    }

    /** Runs a command line (already quoted) on the node; {@code stdin} is sent and closed. */
    ExecResult run(String commandLine, byte[] stdin) {
        return run(commandLine, stdin, null);
    }

    /** The same, waiting at most {@code timeout} (none when {@code null}); a command still running is left. */
    private ExecResult run(String commandLine, byte[] stdin, Duration timeout) {
        return stream(
                commandLine,
                in -> {
                    if (stdin != null) {
                        in.write(stdin);
                    }
                },
                timeout);
    }

    /** What a command reads on its standard input, written as it runs. */
    @FunctionalInterface
    interface Input {
        void writeTo(OutputStream in) throws IOException;
    }

    /**
     * Runs a command line (already quoted) on the node, {@code stdin} streamed to it while it runs. When
     * the command ends before it has read everything (it refused its input), its exit status and output
     * are returned all the same; a local failure to produce the input is thrown.
     */
    ExecResult stream(String commandLine, Input stdin) {
        return stream(commandLine, stdin, null);
    }

    private ExecResult stream(String commandLine, Input stdin, Duration timeout) {
        look = null; // a command may change anything
        asStaged = null;
        realDirs.clear(); // a postcmd, say, may swap a checked directory for a link
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        OutputStream both = new SynchronizedStream(output);
        try (ChannelExec channel = session.createExecChannel(commandLine)) {
            channel.setOut(new TeeStream(both, stdout));
            channel.setErr(both);
            channel.open().verify(SshTransportFactory.TIMEOUT);
            IOException sending = null;
            try (OutputStream in = channel.getInvertedIn()) {
                stdin.writeTo(in);
            } catch (IOException e) {
                sending = e;
            }
            Set<ClientChannelEvent> events = timeout == null
                    ? untilClosedOrSilent(channel, output, commandLine)
                    : channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis());
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                if (events.contains(ClientChannelEvent.TIMEOUT)) {
                    return new ExecResult(
                            -1, output.toString(StandardCharsets.UTF_8), true, stdout.toString(StandardCharsets.UTF_8));
                }
                throw DeployException.broken(
                        "the connection to " + node.name() + " broke while running a command", null);
            }
            Integer status = channel.getExitStatus();
            if (status == null && !session.isOpen()) {
                throw DeployException.broken(
                        "the connection to " + node.name() + " was lost while running a command ("
                                + firstWord(commandLine) + ")",
                        null);
            }
            if (sending != null && (status == null || status == 0)) {
                throw sending;
            }
            String signal = status == null ? channel.getExitSignal() : null;
            // killed by a signal: sshd sends exit-signal instead of a status; say which. And when the
            // command failed after this side stopped sending, say that too: it may be the cause.
            return new ExecResult(
                    status == null ? -1 : status,
                    output.toString(StandardCharsets.UTF_8)
                            + (signal == null ? "" : "(killed by SIG" + signal + " on the node)")
                            + (sending == null ? "" : " (sending its input stopped first: " + sending + ")"),
                    false,
                    stdout.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure("cannot run a command on " + node.name() + " (" + firstWord(commandLine) + ")", e);
        }
    }

    /**
     * Waits for a command without a bound of its own to end, as long as it prints: one that prints nothing
     * for {@code deploy.timeouts.silence} (a {@code find} or {@code sha256sum} on a hung file system, whose
     * sshd still answers keepalives) fails the node. Those are the staging commands, before the switch
     * (the node stays on its release), and the removals of pruning after it; the command itself may go
     * on running there.
     */
    private Set<ClientChannelEvent> untilClosedOrSilent(
            ChannelExec channel, ByteArrayOutputStream output, String commandLine) {
        long quiet = silence().toMillis();
        long seen = output.size();
        long since = System.nanoTime();
        while (true) {
            Set<ClientChannelEvent> events =
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Math.min(quiet, 1_000L));
            if (!events.contains(ClientChannelEvent.TIMEOUT)) {
                return events;
            }
            long size = output.size();
            if (size != seen) {
                seen = size;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= TimeUnit.MILLISECONDS.toNanos(quiet)) {
                channel.close(true);
                throw DeployException.broken(
                        "a command on " + node.name() + " (" + program(commandLine) + ") printed nothing and did"
                                + " not end within " + Durations.format(silence()) + " (deploy.timeouts.silence): a"
                                + " hung file system? It may still run there; raise timeouts.silence for a command"
                                + " that is slow without a word",
                        null);
            }
        }
    }

    /** The cipher negotiated for what this side sends. */
    String cipher() {
        return session.getNegotiatedKexParameter(KexProposalOption.C2SENC);
    }

    /** How long the node may stay silent ({@code deploy.timeouts.silence}): the bound of a wait for its answer. */
    Duration silence() {
        return CoreModuleProperties.IDLE_TIMEOUT.getRequired(session);
    }

    /**
     * Opens an exec channel whose streams the caller handles; for the lock. Its standard error goes to
     * {@code errors}, or, when that is {@code null}, into its output.
     */
    ChannelExec openChannel(String commandLine, OutputStream errors) throws IOException {
        ChannelExec channel = session.createExecChannel(commandLine);
        if (errors == null) {
            channel.setRedirectErrorStream(true);
        } else {
            channel.setErr(errors);
        }
        channel.open().verify(SshTransportFactory.TIMEOUT);
        return channel;
    }

    private SftpClient sftp() {
        if (sftp == null) {
            try {
                sftp = SftpClientFactory.instance().createSftpClient(session);
            } catch (IOException e) {
                throw failure(
                        "cannot start SFTP on " + node.name() + " (is the sftp subsystem enabled in sshd_config?)", e);
            }
            OpenSSHPosixRenameExtension renames = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            posixRename = renames != null && renames.isSupported() ? renames : null;
        }
        return sftp;
    }

    private OpenSSHPosixRenameExtension posixRename() {
        sftp();
        return posixRename;
    }

    private void require(ExecResult result, String what) {
        if (!result.ok()) {
            throw DeployException.broken(
                    what + " on " + node.name() + ": exit " + result.exitCode()
                            + (result.output().isBlank()
                                    ? ""
                                    : ": " + result.output().strip()),
                    null);
        }
    }

    private DeployException failure(String what, Exception e) {
        if (!session.isOpen()) {
            // MINA SSHD's own words ("client is closed") would not say that the node was cut off
            return DeployException.io("the connection to " + node.name() + " was lost (" + what + ")", e);
        }
        return DeployException.io(what + " on " + node.name(), e);
    }

    /** The absolute path on the node; no directory on the way below home is a link (the last component may be one). */
    private String resolve(String path) {
        return confined(path, false);
    }

    /** The absolute path on the node; no component below home, the last included, is a link. */
    private String resolveAll(String path) {
        return confined(path, true);
    }

    /**
     * Confinement on the node: every component below home is looked at with SFTP {@code lstat} (each
     * directory once until the next command runs on the node) and a link planted there fails the deploy
     * naming it, before anything is read, written or run through it. Directories this run created or saw
     * are remembered until then.
     */
    private String confined(String path, boolean last) {
        String abs = absolute(path);
        if (abs.equals(home)) {
            return abs;
        }
        String[] names = abs.substring(home.length() + 1).split("/");
        String at = home;
        for (int i = 0; i < names.length; i++) {
            at = at + "/" + names[i];
            if (!last && i == names.length - 1) {
                break;
            }
            if (realDirs.contains(at) || asStaged != null && at.startsWith(asStaged + "/")) {
                continue;
            }
            Character looked = looked(at);
            if (looked != null) {
                if (looked == 'l') {
                    throw DeployException.plantedLink(at + " on " + node.name(), home);
                }
                if (looked != 'd') {
                    break;
                }
                realDirs.add(at);
                continue;
            }
            SftpClient.Attributes attrs;
            try {
                attrs = sftp().lstat(at);
            } catch (IOException e) {
                if (isNoSuchFile(e)) {
                    break;
                }
                throw failure("cannot look at " + at, e);
            }
            if (attrs.isSymbolicLink()) {
                throw DeployException.plantedLink(at + " on " + node.name(), home);
            }
            if (!attrs.isDirectory()) {
                break;
            }
            realDirs.add(at);
        }
        return abs;
    }

    private void forget(String abs) {
        realDirs.removeIf(d -> d.equals(abs) || d.startsWith(abs + "/"));
    }

    private String absolute(String path) {
        if (path.startsWith("/") || path.contains("\0")) {
            throw new IllegalArgumentException("not a relative deploy path: " + path);
        }
        // By hand, not with regular expressions: called for every file of a release (10,000 in a bench).
        StringBuilder abs = new StringBuilder(home.length() + path.length() + 1).append(home);
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (length == 2 && path.startsWith("..", start)) {
                throw new IllegalArgumentException("path leaves the deploy home: " + path);
            }
            if (length > 0 && !(length == 1 && path.charAt(start) == '.')) {
                abs.append('/').append(path, start, end);
            }
            start = end + 1;
        }
        return abs.toString();
    }

    private static boolean isNoSuchFile(IOException e) {
        return e instanceof SftpException s
                && (s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
                        || s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH);
    }

    private static int modeBits(String mode, String path) {
        return FileMode.parse(mode, path).bits();
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : path.substring(0, slash);
    }

    private static String stripSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The program a command line runs: the first word of the command an {@link #exec} runs in its directory. */
    private static String program(String commandLine) {
        String marker = "&& exec sh -c ";
        int at = commandLine.indexOf(marker);
        if (at < 0) {
            return firstWord(commandLine);
        }
        String command = commandLine.substring(at + marker.length());
        return firstWord(command.startsWith("'") ? command.substring(1) : command);
    }

    private static String firstWord(String commandLine) {
        int space = commandLine.indexOf(' ');
        return space < 0 ? commandLine : commandLine.substring(0, space);
    }

    /** stdout and stderr arrive on MINA's threads; one buffer, one writer at a time. */
    private static final class SynchronizedStream extends OutputStream {
        private final OutputStream out;

        SynchronizedStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }

    /** Writes to two streams: a command's standard output goes to the interleaved output and on its own. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}

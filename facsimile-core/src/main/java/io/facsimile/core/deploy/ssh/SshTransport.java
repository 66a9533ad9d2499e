package io.facsimile.core.deploy.ssh;

import io.facsimile.core.bundle.Manifest;
import io.facsimile.core.bundle.ManifestEntry;
import io.facsimile.core.deploy.DeployException;
import io.facsimile.core.deploy.DeployLock;
import io.facsimile.core.deploy.ExecResult;
import io.facsimile.core.deploy.Node;
import io.facsimile.core.deploy.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A {@link Transport} to a deploy home on a node over one SSH session: SFTP for reading and writing
 * files (uploads go to a temporary file, get their mode, and are renamed over the target with
 * OpenSSH's {@code posix-rename}), hard links with OpenSSH's {@code hardlink@openssh.com}, and exec
 * channels running POSIX shell commands for the rest ({@code find} + {@code sha256sum} for a scan,
 * {@code ln -s} and {@code mv -T} for the {@code current} switch, {@code rm -rf}, postcmd, and a
 * {@code flock} held by a remote process for the deploy lock). Every path and argument is quoted for
 * {@code sh}. The node needs a POSIX shell, GNU coreutils and findutils, and util-linux {@code flock}.
 *
 * <p>Open one with {@link SshTransportFactory}. Used by one thread; {@link #close()} ends the session.
 */
public final class SshTransport implements Transport {

    private final Node node;
    private final String home;
    private final String user;
    private final SshClient client;
    private final ClientSession session;
    private SftpClient sftp;
    private HardLinkExtension hardLinks;
    private OpenSSHPosixRenameExtension posixRename;

    SshTransport(Node node, String home, String user, SshClient client, ClientSession session) {
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
    public List<String> list(String dir) {
        String d = resolve(dir);
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
        String d = resolve(dir);
        // First the names (cheap), then hashes of the included files only: an excluded 2 GB log is never read.
        ExecResult listing = run("[ -d " + Shell.quote(d) + " ] && [ ! -L " + Shell.quote(d) + " ] || exit 3; cd -- "
                + Shell.quote(d) + " && find . -mindepth 1 -type f -printf '%m %s %P\\0'", null);
        if (listing.exitCode() == 3) {
            return new Manifest(List.of());
        }
        require(listing, "cannot list the files below " + d);
        Map<String, Boolean> dirs = new HashMap<>();
        Map<String, String[]> files = new java.util.LinkedHashMap<>();
        for (String record : listing.output().split("\0")) {
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
        for (String line : sums.output().split("\0")) {
            if (line.length() < 67) {
                continue;
            }
            String hash = line.substring(0, 64);
            String path = line.substring(66);
            path = path.startsWith("./") ? path.substring(2) : path;
            String[] meta = files.get(path);
            if (meta == null) {
                throw new DeployException("unexpected line from sha256sum on " + node.name() + ": " + line, null, false);
            }
            int mode = Integer.parseInt(meta[0], 8) & 0777;
            entries.add(new ManifestEntry(path, Long.parseLong(meta[1]), String.format(Locale.ROOT, "%04o", mode), hash,
                    false));
        }
        if (entries.size() != files.size()) {
            throw new DeployException("sha256sum on " + node.name() + " hashed " + entries.size() + " of " + files.size()
                    + " files below " + d + "; were files removed during the scan?", null, false);
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
    public void makeDirs(String dir) {
        String d = resolve(dir);
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
            if (sftp().stat(dir).isDirectory()) {
                return;
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
        try {
            sftp().mkdir(dir);
        } catch (IOException e) {
            // created meanwhile by someone else is fine
            if (!sftp().stat(dir).isDirectory()) {
                throw e;
            }
        }
    }

    @Override
    public void upload(String path, InputStream content, long size, String mode) {
        String target = resolve(path);
        int bits = modeBits(mode, path);
        String tmp = parent(target) + "/." + name(target) + ".tmp-" + UUID.randomUUID();
        try {
            try (OutputStream out = openForWrite(tmp)) {
                content.transferTo(out);
            }
            SftpClient.Attributes attrs = new SftpClient.Attributes();
            attrs.setPermissions(bits);
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

    private OutputStream openForWrite(String file) throws IOException {
        try {
            return sftp().write(file, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate);
        } catch (IOException e) {
            if (!isNoSuchFile(e)) {
                throw e;
            }
            mkdirs(parent(file));
            return sftp().write(file, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate);
        }
    }

    @Override
    public boolean linkOrCopy(String from, String to) {
        String source = resolve(from);
        String target = resolve(to);
        if (hardLinks() != null) {
            try {
                hardLinks().link(source, target);
                return true;
            } catch (IOException e) {
                // The target exists, its directory does not, or the file system cannot link.
            }
            try {
                mkdirs(parent(target));
                if (exists(to)) {
                    sftp().remove(target);
                }
                hardLinks().link(source, target);
                return true;
            } catch (IOException e) {
                // The shell sorts it out below: ln, and cp -p where the file system cannot link.
            }
        }
        ExecResult r = run("mkdir -p -- " + Shell.quote(parent(target)) + " && { ln -f -- " + Shell.quote(source) + " "
                + Shell.quote(target) + " 2>/dev/null && echo linked || { rm -f -- " + Shell.quote(target) + " && cp -p -- "
                + Shell.quote(source) + " " + Shell.quote(target) + " && echo copied; }; }", null);
        require(r, "cannot link or copy " + source + " to " + target);
        return r.output().contains("linked");
    }

    @Override
    public void remove(String path) {
        String p = resolve(path);
        if (p.equals(home)) {
            throw new IllegalArgumentException("refusing to remove the deploy home " + home);
        }
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

    @Override
    public void rename(String from, String to) {
        renameAbsolute(resolve(from), resolve(to));
    }

    /**
     * rename(2) on the node: OpenSSH's {@code posix-rename@openssh.com} is exactly that call, in one
     * SFTP round trip; without it, {@code mv -T}, which renames exactly this name and never moves
     * it "into" a directory that happens to be there.
     */
    private void renameAbsolute(String source, String target) {
        if (posixRename() != null) {
            try {
                posixRename().posixRename(source, target);
                return;
            } catch (IOException e) {
                throw failure("cannot rename " + source + " to " + target, e);
            }
        }
        require(run("mv -T -f -- " + Shell.quote(source) + " " + Shell.quote(target), null),
                "cannot rename " + source + " to " + target);
    }

    @Override
    public void symlink(String link, String target) {
        String l = resolve(link);
        // ln -s would put the link inside a directory (or a link to one) that is in the way
        require(run("if [ -e " + Shell.quote(l) + " ] || [ -L " + Shell.quote(l) + " ]; then echo something is in the way;"
                + " exit 1; fi; ln -s -- " + Shell.quote(target) + " " + Shell.quote(l), null), "cannot create symbolic link " + l);
    }

    @Override
    public Optional<String> readLink(String link) {
        String l = resolve(link);
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
        String p = resolve(path);
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
        String p = resolve(path);
        require(run("mkdir -p -- " + Shell.quote(parent(p)) + " && cat >> " + Shell.quote(p), content),
                "cannot append to " + p);
    }

    @Override
    public ExecResult exec(String dir, String command) {
        String d = resolve(dir);
        return run("cd -- " + Shell.quote(d) + " && exec sh -c " + Shell.quote(command), null);
    }

    @Override
    public DeployLock lock(String holder, Duration wait) {
        return RemoteLock.acquire(this, home, holder, wait);
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
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        OutputStream both = new SynchronizedStream(output);
        try (ChannelExec channel = session.createExecChannel(commandLine)) {
            channel.setOut(both);
            channel.setErr(both);
            channel.open().verify(SshTransportFactory.TIMEOUT);
            try (OutputStream in = channel.getInvertedIn()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
            Integer status = channel.getExitStatus();
            return new ExecResult(status == null ? -1 : status, output.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure("cannot run a command on " + node.name() + " (" + firstWord(commandLine) + ")", e);
        }
    }

    /** Opens an exec channel whose streams the caller handles; for the lock. */
    ChannelExec openChannel(String commandLine) throws IOException {
        ChannelExec channel = session.createExecChannel(commandLine);
        channel.setRedirectErrorStream(true);
        channel.open().verify(SshTransportFactory.TIMEOUT);
        return channel;
    }

    private SftpClient sftp() {
        if (sftp == null) {
            try {
                sftp = SftpClientFactory.instance().createSftpClient(session);
            } catch (IOException e) {
                throw failure("cannot start SFTP on " + node.name() + " (is the sftp subsystem enabled in sshd_config?)", e);
            }
            HardLinkExtension links = new HardLinkExtension(sftp);
            hardLinks = links.isSupported() ? links : null;
            OpenSSHPosixRenameExtension renames = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            posixRename = renames != null && renames.isSupported() ? renames : null;
        }
        return sftp;
    }

    private HardLinkExtension hardLinks() {
        sftp();
        return hardLinks;
    }

    private OpenSSHPosixRenameExtension posixRename() {
        sftp();
        return posixRename;
    }

    private void require(ExecResult result, String what) {
        if (!result.ok()) {
            throw new DeployException(what + " on " + node.name() + ": exit " + result.exitCode()
                    + (result.output().isBlank() ? "" : ": " + result.output().strip()), null, false);
        }
    }

    private DeployException failure(String what, Exception e) {
        return DeployException.io(what + " on " + node.name(), e);
    }

    private String resolve(String path) {
        if (path.startsWith("/") || path.contains("\0")) {
            throw new IllegalArgumentException("not a relative deploy path: " + path);
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("path leaves the deploy home: " + path);
            }
        }
        String clean = stripSlash(path.replaceAll("/+", "/").replaceAll("(^|/)\\.(?=/|$)", ""));
        while (clean.startsWith("/")) {
            clean = clean.substring(1);
        }
        return clean.isEmpty() ? home : home + "/" + clean;
    }

    private static boolean isNoSuchFile(IOException e) {
        return e instanceof SftpException s && (s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
                || s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH);
    }

    private static int modeBits(String mode, String path) {
        try {
            int bits = Integer.parseInt(mode, 8);
            if (mode.length() == 4 && bits <= 07777) {
                return bits;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DeployException("file mode \"" + mode + "\" of " + path + " is not four octal digits; render the instance again");
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : path.substring(0, slash);
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String stripSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
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
}

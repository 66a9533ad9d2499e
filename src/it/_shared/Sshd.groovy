// What the SSH ITs share: the user key of settings.xml's <server id="facsimile.it-ssh">, free
// loopback ports, and starting an OpenSSH server that listens on 127.0.0.1 only. Loaded by their
// prebuild.groovy from the `sharedScripts` directory the invoker configuration passes in.
class Sshd {

    /** The sshd options the deploy benchmarks use too, next to this script (it is parsed from its file). */
    static final File OPTIONS =
            new File(new File(Sshd.protectionDomain.codeSource.location.toURI()).parentFile, 'sshd-options.conf')

    /** Runs a command and fails with its output when it exits non-zero. */
    static void run(List<String> argv) {
        def p = argv.execute()
        def out = new StringBuilder()
        p.consumeProcessOutput(out, out)
        p.waitFor()
        assert p.exitValue() == 0 : "${argv.join(' ')} failed: $out"
    }

    /** A port nobody listens on right now, on 127.0.0.1. */
    static int freePort() {
        new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
    }

    /** The user key every IT and Maven run shares (settings.xml points at it), made once. */
    static File userKey(File basedir) {
        def keys = new File(basedir, '../../it-ssh').canonicalFile
        keys.mkdirs()
        def key = new File(keys, 'id_ecdsa')
        if (!key.exists()) {
            run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-C', 'facsimile-it', '-f', key.path])
        }
        key
    }

    /** A new ECDSA key pair at {@code file} and {@code file.pub}. */
    static File keyPair(File file) {
        run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', file.path])
        file
    }

    /** Writes {@code dir/sshd_config} and {@code dir/authorized_keys} for a server on 127.0.0.1:port. */
    static File configure(File dir, int port, File hostKey, File userKey) {
        dir.mkdirs()
        new File('/run/sshd').mkdirs()
        new File(dir, 'authorized_keys').text = new File(userKey.path + '.pub').text
        def config = new File(dir, 'sshd_config')
        config.text = """Port $port
ListenAddress 127.0.0.1
HostKey ${hostKey.path}
PidFile ${dir.path}/sshd.pid
AuthorizedKeysFile ${dir.path}/authorized_keys
""" + OPTIONS.text
        config
    }

    /**
     * Starts {@code command} (which execs sshd on {@code dir}'s config, wrapped in {@code timeout} so
     * it ends even if the build dies) and waits until 127.0.0.1:port accepts connections.
     */
    static Process start(List<String> command, File dir, int port, String name) {
        def pb = new ProcessBuilder(command.collect { it.toString() })
        pb.redirectErrorStream(true)
        pb.redirectOutput(new File(dir, 'stdout.log'))
        def process = pb.start()
        long deadline = System.currentTimeMillis() + 15000
        while (System.currentTimeMillis() < deadline) {
            assert process.isAlive() : "sshd $name exited: " + new File(dir, 'stdout.log').text +
                    (new File(dir, 'sshd.log').exists() ? new File(dir, 'sshd.log').text : '')
            try {
                new Socket().withCloseable { it.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200) }
                return process
            } catch (IOException e) {
                Thread.sleep(50)
            }
        }
        assert false : "sshd $name does not listen on 127.0.0.1:$port"
    }

    /** The command that runs sshd in the foreground on {@code dir}'s config, for at most ten minutes. */
    static List<String> command(File dir) {
        ['timeout', '600', '/usr/sbin/sshd', '-D', '-f', "${dir.path}/sshd_config", '-E', "${dir.path}/sshd.log"]*.toString()
    }
}

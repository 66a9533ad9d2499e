// Starts two OpenSSH servers on free ports of 127.0.0.1, each in its own mount namespace where the
// deploy home is its own directory (target/hosts/<node>), and writes the definition layer that
// names them (facsimile.yaml) and a known_hosts that lists only gw1. verify.groovy stops them.
// `timeout` ends them anyway if the build dies before verify.groovy runs.

def run(List<String> argv) {
    def p = argv.execute()
    def out = new StringBuilder()
    p.consumeProcessOutput(out, out)
    p.waitFor()
    assert p.exitValue() == 0 : "${argv.join(' ')} failed: $out"
}

def freePort() {
    new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
}

// the user key of settings.xml's <server id="facsimile.it-ssh">, shared by every IT and Maven run
def keys = new File(basedir, '../../it-ssh').canonicalFile
keys.mkdirs()
def userKey = new File(keys, 'id_ecdsa')
if (!userKey.exists()) {
    run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-C', 'facsimile-it', '-f', userKey.path])
}

def target = new File(basedir, 'target')
def home = new File(target, 'srv/shop')        // deploy.home, as each node sees it
home.mkdirs()
new File('/run/sshd').mkdirs()
def nodes = [gateway: 'gw1', db: 'db1']
def specs = [:]
def pids = []
def knownHosts = new StringBuilder()
nodes.each { tgt, name ->
    def dir = new File(target, "sshd/$name")
    dir.mkdirs()
    def files = new File(target, "hosts/$name")
    files.mkdirs()
    def hostKey = new File(dir, 'hostkey')
    run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', hostKey.path])
    new File(dir, 'authorized_keys').text = new File(userKey.path + '.pub').text
    int port = freePort()
    new File(dir, 'sshd_config').text = """Port $port
ListenAddress 127.0.0.1
HostKey ${hostKey.path}
PidFile ${dir.path}/sshd.pid
AuthorizedKeysFile ${dir.path}/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
"""
    def script = "mount --bind '${files.path}' '${home.path}' && exec timeout 600 /usr/sbin/sshd -D -f '${dir.path}/sshd_config' -E '${dir.path}/sshd.log'"
    def pb = new ProcessBuilder('unshare', '-m', 'sh', '-c', script)
    pb.redirectErrorStream(true)
    pb.redirectOutput(new File(dir, 'stdout.log'))
    def process = pb.start()
    pids << process.pid()
    // wait until it listens
    long deadline = System.currentTimeMillis() + 15000
    boolean up = false
    while (!up && System.currentTimeMillis() < deadline) {
        assert process.isAlive() : "sshd $name exited: " + new File(dir, 'stdout.log').text + new File(dir, 'sshd.log').text
        try {
            new Socket().withCloseable { it.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200) }
            up = true
        } catch (IOException e) {
            Thread.sleep(50)
        }
    }
    assert up : "sshd $name does not listen on 127.0.0.1:$port"
    specs[tgt] = "127.0.0.1:$port"
    if (name == 'gw1') {
        def pub = new File(hostKey.path + '.pub').text.trim().split(' ')
        knownHosts << "[127.0.0.1]:$port ${pub[0]} ${pub[1]}\n"
    }
}
new File(target, 'sshd.pids').text = pids.join('\n') + '\n'
new File(basedir, 'known_hosts').text = knownHosts.toString()
// a node that is down: a free port nobody listens on
int downPort = freePort()
new File(basedir, 'src/main/facsimile/facsimile.yaml').text = """deploy:
  home: ${home.path}
  nodes:
    gateway: ["${specs.gateway}"]
    down: ["127.0.0.1:$downPort"]
    db: ["${specs.db}"]
"""
return true

// Starts one OpenSSH server on a free port of 127.0.0.1 and writes a known_hosts that holds a
// DIFFERENT key for it, as after a reinstall or an attack. verify.groovy stops the server.

def run(List<String> argv) {
    def p = argv.execute()
    def out = new StringBuilder()
    p.consumeProcessOutput(out, out)
    p.waitFor()
    assert p.exitValue() == 0 : "${argv.join(' ')} failed: $out"
}

def keys = new File(basedir, '../../it-ssh').canonicalFile
keys.mkdirs()
def userKey = new File(keys, 'id_ecdsa')
if (!userKey.exists()) {
    run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-C', 'facsimile-it', '-f', userKey.path])
}
def dir = new File(basedir, 'target/sshd')
dir.mkdirs()
def home = new File(basedir, 'target/srv/shop')
new File('/run/sshd').mkdirs()
run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', new File(dir, 'hostkey').path])
run(['ssh-keygen', '-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', new File(dir, 'oldkey').path])
new File(dir, 'authorized_keys').text = new File(userKey.path + '.pub').text
int port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
new File(dir, 'sshd_config').text = """Port $port
ListenAddress 127.0.0.1
HostKey ${dir.path}/hostkey
PidFile ${dir.path}/sshd.pid
AuthorizedKeysFile ${dir.path}/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
"""
def pb = new ProcessBuilder('timeout', '600', '/usr/sbin/sshd', '-D', '-f', "${dir.path}/sshd_config", '-E', "${dir.path}/sshd.log")
pb.redirectErrorStream(true)
pb.redirectOutput(new File(dir, 'stdout.log'))
def process = pb.start()
new File(basedir, 'target/sshd.pids').text = "${process.pid()}\n"
long deadline = System.currentTimeMillis() + 15000
boolean up = false
while (!up && System.currentTimeMillis() < deadline) {
    assert process.isAlive() : 'sshd exited: ' + new File(dir, 'stdout.log').text
    try {
        new Socket().withCloseable { it.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200) }
        up = true
    } catch (IOException e) {
        Thread.sleep(50)
    }
}
assert up : "sshd does not listen on 127.0.0.1:$port"
def old = new File(dir, 'oldkey.pub').text.trim().split(' ')
new File(basedir, 'known_hosts').text = "[127.0.0.1]:$port ${old[0]} ${old[1]}\n"
new File(basedir, 'src/main/facsimile/facsimile.yaml').text = """deploy:
  home: ${home.path}
  nodes:
    app: ["127.0.0.1:$port"]
"""
return true

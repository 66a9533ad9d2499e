// Starts two OpenSSH servers on free ports of 127.0.0.1, each in its own mount namespace where the
// deploy home is its own directory (target/hosts/<node>), and writes the definition layer that
// names them (facsimile.yaml) and a known_hosts that lists only gw1. verify.groovy stops them.
// `timeout` ends them anyway if the build dies before verify.groovy runs.
def Sshd = new GroovyClassLoader(getClass().classLoader).parseClass(new File(sharedScripts, 'Sshd.groovy'))

def userKey = Sshd.userKey(basedir)
def target = new File(basedir, 'target')
def home = new File(target, 'srv/shop')        // deploy.home, as each node sees it
home.mkdirs()
def nodes = [gateway: 'gw1', db: 'db1']
def specs = [:]
def pids = []
def knownHosts = new StringBuilder()
nodes.each { tgt, name ->
    def dir = new File(target, "sshd/$name")
    dir.mkdirs()
    def files = new File(target, "hosts/$name")
    files.mkdirs()
    def hostKey = Sshd.keyPair(new File(dir, 'hostkey'))
    int port = Sshd.freePort()
    Sshd.configure(dir, port, hostKey, userKey)
    def sshd = Sshd.command(dir).collect { "'$it'" }.join(' ')
    def script = "mount --bind '${files.path}' '${home.path}' && exec $sshd"
    pids << Sshd.start(['unshare', '-m', 'sh', '-c', script], dir, port, name).pid()
    specs[tgt] = "127.0.0.1:$port"
    if (name == 'gw1') {
        def pub = new File(hostKey.path + '.pub').text.trim().split(' ')
        knownHosts << "[127.0.0.1]:$port ${pub[0]} ${pub[1]}\n"
    }
}
new File(target, 'sshd.pids').text = pids.join('\n') + '\n'
new File(basedir, 'known_hosts').text = knownHosts.toString()
// a node that is down: a free port nobody listens on
int downPort = Sshd.freePort()
new File(basedir, 'src/main/facsimile/facsimile.yaml').text = """deploy:
  home: ${home.path}
  nodes:
    gateway: ["${specs.gateway}"]
    down: ["127.0.0.1:$downPort"]
    db: ["${specs.db}"]
"""
return true

// Starts one OpenSSH server on a free port of 127.0.0.1 and writes a known_hosts that holds a
// DIFFERENT key for it, as after a reinstall or an attack. verify.groovy stops the server.
def Sshd = new GroovyClassLoader(getClass().classLoader).parseClass(new File(sharedScripts, 'Sshd.groovy'))

def dir = new File(basedir, 'target/sshd')
dir.mkdirs()
def home = new File(basedir, 'target/srv/shop')
def hostKey = Sshd.keyPair(new File(dir, 'hostkey'))
def oldKey = Sshd.keyPair(new File(dir, 'oldkey'))
int port = Sshd.freePort()
Sshd.configure(dir, port, hostKey, Sshd.userKey(basedir))
def process = Sshd.start(Sshd.command(dir), dir, port, 'app')
new File(basedir, 'target/sshd.pids').text = "${process.pid()}\n"

def old = new File(oldKey.path + '.pub').text.trim().split(' ')
new File(basedir, 'known_hosts').text = "[127.0.0.1]:$port ${old[0]} ${old[1]}\n"
new File(basedir, 'src/main/facsimile/facsimile.yaml').text = """deploy:
  home: ${home.path}
  nodes:
    app: ["127.0.0.1:$port"]
"""
return true

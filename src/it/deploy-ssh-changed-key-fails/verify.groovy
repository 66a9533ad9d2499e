def target = new File(basedir, 'target')
new File(target, 'sshd.pids').readLines().findAll { it }.each { pid -> ['kill', pid].execute().waitFor() }

def fingerprint(File pub) {
    def p = ['ssh-keygen', '-l', '-E', 'sha256', '-f', pub.path].execute()
    def out = p.text
    p.waitFor()
    out.split(' ')[1]
}

def log = new File(basedir, 'build.log').text
def expected = fingerprint(new File(target, 'sshd/oldkey.pub'))
def offered = fingerprint(new File(target, 'sshd/hostkey.pub'))
// the failure shows both fingerprints, says nothing was sent, and the flag did not override it
assert log.contains('has CHANGED')
assert log.contains(expected) && log.contains(offered)
assert log.contains('Nothing was sent')
assert log =~ /\[ERROR\].*deploy failed on 1 node/
assert !new File(target, 'srv/shop').exists() || new File(target, 'srv/shop').list().length == 0
// known_hosts still holds only the old key
assert new File(basedir, 'known_hosts').readLines().size() == 1
// the server saw no authentication attempt
assert !new File(target, 'sshd/sshd.log').text.contains('Accepted')
return true

import java.nio.file.Files

// stop the sshd nodes of prebuild.groovy first, whatever the assertions below say
def target = new File(basedir, 'target')
new File(target, 'sshd.pids').readLines().findAll { it }.each { pid ->
    ['kill', pid].execute().waitFor()
}

def log = new File(basedir, 'build.log').text
def gw = new File(target, 'hosts/gw1')
def db = new File(target, 'hosts/db1')
def knownHosts = new File(basedir, 'known_hosts').text
def gwPort = (new File(basedir, 'src/main/facsimile/facsimile.yaml').text =~ /gateway: \["127.0.0.1:(\d+)"\]/)[0][1]
def downPort = (new File(basedir, 'src/main/facsimile/facsimile.yaml').text =~ /down: \["127.0.0.1:(\d+)"\]/)[0][1]
def dbPort = (new File(basedir, 'src/main/facsimile/facsimile.yaml').text =~ /db: \["127.0.0.1:(\d+)"\]/)[0][1]

// 1: the down node and db1 (unknown, refused with its fingerprint) are named in the failure; gw1 was deployed
assert log.contains("the host key of 127.0.0.1:$dbPort is unknown")
assert log.contains('deploy failed on 2 node(s):')
assert log.contains("[ERROR]   127.0.0.1:$downPort: cannot connect to 127.0.0.1:$downPort (root@127.0.0.1:$downPort, user root from the settings.xml <server> facsimile.it-ssh): Connection refused")
assert log.contains("[ERROR]   127.0.0.1:$dbPort: the host key of 127.0.0.1:$dbPort is unknown")
assert log.contains('postcmd on')
// 2: accepted and recorded
assert knownHosts.contains("[127.0.0.1]:$dbPort ecdsa-sha2-nistp256")
// 3: the redeploy sent nothing to either node
assert log.contains("127.0.0.1:$gwPort: unchanged")
assert log =~ /127\.0\.0\.1:$dbPort: unchanged [^\n]*, 0 files, 0 bytes sent/
// the closing table
assert log.contains('node                     outcome')
// 4: blue went to db only, one file
assert log =~ /127\.0\.0\.1:$dbPort: deployed [^\n]*, 1 files, 11 bytes sent/
// 5: verify found no drift on either node
assert log.contains("127.0.0.1:$gwPort: release") && log.contains('matches its manifest')
// 6: rollback put db back to red
assert log.contains("127.0.0.1:$dbPort: rolled-back")
assert new File(db, 'current/etc/app.properties').text.contains('color=red')
assert Files.isSymbolicLink(new File(db, 'current').toPath())
assert new File(db, 'releases').list().findAll { !it.startsWith('.') }.size() == 2
// 7: waves of one: gw1 green, the down node failed, db1 skipped and still red
assert log =~ /127\.0\.0\.1:$dbPort +skipped +0 +0 +0\.0  not started: 1 of 3 nodes failed, more than maxFailPercentage 0%/
assert log.contains('deploy failed on 1 node(s):')
assert new File(gw, 'current/etc/app.properties').text.contains('color=green')
assert new File(db, 'current/etc/app.properties').text.contains('color=red')
// the private key path and user come from settings.xml, never printed with secrets
assert !log.contains('BEGIN OPENSSH PRIVATE KEY')
// quiet output: sshd's connection notices stay at DEBUG
assert !(log =~ /\[INFO\].*(publickey-hostbound|security provider|getOrCreateProvider)/)
return true

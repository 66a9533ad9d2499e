import java.nio.file.Files
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def home = new File(basedir, 'target/deployed')
def current = home.toPath().resolve('current')
def password = new JsonSlurper().parse(new File(basedir, '.facsimile/state/dev/state.json')).passwd.app

// 1: first deploy, postcmd ran inside the release
assert log.contains('postcmd ran in 1.0-')
// 2: identical redeploy is a no-op that says so
assert log.contains('already current')
// 3: so is the next, which took the record the second left (it found its instance up to date) and asked find once
// whether anything changed since, without listing the definitions; the node was checked as always
assert log.contains('dev: not listed again: find saw nothing change in the definitions')
assert log.count('is already current, nothing to do') == 2
// 4: a changed value gives a second release
def releases = new File(home, 'releases').list().findAll { !it.startsWith('.') }.sort()
assert releases.size() == 2 : "two releases expected: $releases"
// 5: the dry run changed nothing (no third release), 6: diff shows the change with the secret masked
assert log.contains('-color=blue')
assert log.contains('+color=green')
assert !log.contains(password) : 'the state password must never be printed'
// 2, 3 and 6 found the release up to date: -Dfacsimile.dryRun is a switch of the goal, not a value to render
assert log.count('dev: release dir up to date, nothing rewritten (no input changed)') == 3
// 7: rollback switched current back to the first release, whose color is red
assert Files.isSymbolicLink(current)
assert new File(current.toFile(), 'etc/app.properties').text.contains('color=red')
// 8: verify found no drift
assert log.contains('matches its manifest')
return true

import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def home = new File(basedir, 'target/deployed')
def releases = new File(home, 'releases').listFiles().findAll { !it.name.startsWith('.') }.sort { it.name }
assert releases.size() == 2 : "two releases expected: $releases"
def passwordIn = { File release -> new File(release, 'etc/app.properties').text.trim().substring('password='.length()) }
// release ids are not ordered by time: the old release is the one current does not point to
def currentId = java.nio.file.Files.readSymbolicLink(new File(home, 'current').toPath()).fileName.toString()
def old = passwordIn(releases.find { it.name != currentId })
def fresh = new File(home, 'current/etc/app.properties').text.trim().substring('password='.length())
assert old != fresh : 'the deployed password changed'
assert old.length() >= 16 && fresh.length() >= 16
// the state keeps the old one, retired and encrypted
def stateFile = new File(basedir, 'src/main/facsimile/state/dev.json')
def state = new JsonSlurper().parse(stateFile)
assert state.retired.app.size() == 1 && state.retired.app[0].startsWith('tink:')
assert !stateFile.text.contains(old) && !stateFile.text.contains(fresh)
assert log.contains('dev: new password for app in state dev; the old one is kept retired')
// the diff showed the file as changed, its content masked on both sides; neither value reached the log
assert log.contains('local: 0 added, 1 changed, 0 removed')
assert log.contains('Files a/etc/app.properties and b/etc/app.properties differ in mode or masked content')
assert !log.contains(old) : 'the retired password is masked'
assert !log.contains(fresh) : 'the new password is masked'
assert !log.contains('settings-it-passphrase') : 'the passphrase never reaches the log'
// 5: an unknown module is refused naming the modules
assert log.contains('Instance dev has no module nosuchmodule to rotate: its modules are app')
return true

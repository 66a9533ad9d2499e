import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def stateFile = new File(basedir, 'src/main/facsimile/state/dev.json')
assert stateFile.isFile() : 'a new state with recipients is kept encrypted in the definitions directory'
assert !new File(basedir, '.facsimile/state/dev/state.json').exists() : 'no plaintext copy'
def state = new JsonSlurper().parse(stateFile)
assert state.encryption.recipients.keySet() == ['passphrase:facsimile.ci-state'] as Set
assert state.passwd.app.startsWith('tink:')
def rendered = new File(basedir, 'target/facsimile/dev/_DEPLOY_/etc/app.properties').text
def password = rendered.trim().substring('password='.length())
assert password.length() >= 16
assert !stateFile.text.contains(password) : 'the state file holds no password in clear'
assert !log.contains(password) : 'the password never reaches the log'
assert !log.contains('ci-it-passphrase-Zq81') : 'the passphrase never reaches the log'
// run 2 (validate) opened the state again with the passphrase from the environment
assert log.count('Saved new generated values in state dev') == 1
// describe says who can read it
assert log.contains('src/main/facsimile/state/dev.json, encrypted, readable by passphrase:facsimile.ci-state')
return true

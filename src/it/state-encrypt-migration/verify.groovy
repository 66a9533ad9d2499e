import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def backup = new File(basedir, '.facsimile/state/dev/state.json.before-encrypt')
def encrypted = new File(basedir, 'src/main/facsimile/state/dev.json')
assert backup.isFile() : 'the plaintext state is kept as a backup'
assert !new File(basedir, '.facsimile/state/dev/state.json').exists()
def before = new JsonSlurper().parse(backup).passwd.app
assert encrypted.isFile() && !encrypted.text.contains(before)
assert new JsonSlurper().parse(encrypted).passwd.app.startsWith('tink:')
// run 3 renders from the encrypted state the very password the plaintext state held
def rendered = new File(basedir, 'target/facsimile/dev/_DEPLOY_/etc/app.properties').text
assert rendered.contains('password=' + before)
assert log.contains('state dev encrypted into src/main/facsimile/state/dev.json')
// run 4: encrypting twice is refused
assert log.contains('State dev is already encrypted')
assert !log.contains(before)
return true

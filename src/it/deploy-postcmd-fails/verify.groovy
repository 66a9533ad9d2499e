import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def password = new JsonSlurper().parse(new File(basedir, '.facsimile/state/dev/state.json')).passwd.app
def current = new File(basedir, 'target/deployed/current')

assert new File(current, 'etc/app.properties').text.contains('color=red') : 'the previous release is current again'
assert log.contains('color=blue') : 'the failing command output is shown'
assert log.contains('password=****') : 'secrets in the output are masked'
assert !log.contains(password) : 'the state password must never be printed'
assert log =~ /local.*failed/
return true

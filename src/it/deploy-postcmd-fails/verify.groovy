import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def password = new JsonSlurper().parse(new File(basedir, '.facsimile/state/dev/state.json')).passwd.app
def current = new File(basedir, 'target/deployed/current')

assert new File(current, 'etc/app.properties').text.contains('color=red') : 'the previous release is current again'
assert log.contains('color=blue') : 'the failing command output is shown'
assert log.contains('password=****') : 'secrets in the output are masked'
assert !log.contains(password) : 'the state password must never be printed'
assert log =~ /local.*failed/
// the output is shown once per deploy (the first deploy's postcmd succeeded), above the table; the
// reason in the progress line, the table and the error is one line
assert log.count('password=****') == 2 : 'the postcmd output is not repeated'
assert log.contains('exited with 1 (its output is above); current switched back to')
return true

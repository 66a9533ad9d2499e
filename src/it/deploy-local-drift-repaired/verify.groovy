// case: deploy.drift-repaired
def log = new File(basedir, 'build.log').text
def current = new File(basedir, 'target/deployed/current')

// 2: verify named the drift and the fix
assert log.contains('redeploy to repair') : 'verify must fail on the edited file'
// 3: the redeploy repaired it instead of "already current"
assert log.contains('repaired 1 files on local')
assert !log.contains('is already current, nothing to do')
assert !new File(current, 'etc/app.properties').text.contains('edited-by-hand')
// 4: verify passes afterwards
assert log.contains('matches its manifest')
return true

// case: bundle.second-execution
def log = new File(basedir, 'build.log').text
assert log.contains('dev: packaged target/package-twice-fails-1.0-dev.tar.gz (secrets sealed)') : 'the first execution packaged'
assert log.contains('Instance dev was already packaged by this build with bundleSecrets=seal') : 'the second was refused'
assert log.contains('Remove one of the two package executions') : 'saying what to do'
assert !log.contains('(with secrets)') : 'nothing was packaged with the secrets'
assert new File(basedir, 'target/package-twice-fails-1.0-dev.tar.gz').isFile()
return true
